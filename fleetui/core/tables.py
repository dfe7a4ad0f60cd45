"""Base table and request handling for django-tables2 lists: `sort=`, `page=`, `per_page=` (25/50/100)."""

import django_tables2 as tables
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpRequest

PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = 50


class BaseTable(tables.Table):
    class Meta:
        order_by_field = "sort"
        page_field = "page"
        per_page_field = "per_page"
        attrs = {"class": "data"}
        empty_text = "Nothing matches these filters."


def per_page_from(request: HttpRequest) -> int:
    """The page size the request asks for, if it is one of PER_PAGE_CHOICES; else the default."""
    try:
        value = int(request.GET.get("per_page", DEFAULT_PER_PAGE))
    except ValueError:
        return DEFAULT_PER_PAGE
    return value if value in PER_PAGE_CHOICES else DEFAULT_PER_PAGE


def table_configure(table: tables.Table, request: HttpRequest) -> tables.Table:
    """Apply sorting and pagination from the query string.

    Unlike django-tables2's RequestConfig, the page size is limited to PER_PAGE_CHOICES (a request
    cannot ask for 100,000 rows); an unknown sort column is ignored; a page number past the end shows
    the last page and a non-number the first.
    """
    table.request = request
    order_by = [key for key in request.GET.getlist("sort") if key]
    if order_by:
        table.order_by = order_by
    per_page = per_page_from(request)
    try:
        table.paginate(page=request.GET.get("page") or 1, per_page=per_page)
    except PageNotAnInteger:
        table.page = table.paginator.page(1)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)
    return table
