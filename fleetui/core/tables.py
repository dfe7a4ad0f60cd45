"""Base table, column types and request handling for django-tables2 lists: `sort=`, `page=`, `per_page=` (25/50/100).

Tables declare their cells with the column types below (a time, an id to copy, a badge, a link, code) rather than
`render_*` methods; a method is left only for a cell that says something of its own.
"""

import inspect
from collections.abc import Callable
from typing import Any

import django_tables2 as tables
from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2.utils import Accessor, AttributeDict

from .asof import as_of_moment
from .choices import ChoiceMenu
from .humanize import copy_html, time_html
from .querysets import CountingPaginator

PER_PAGE_CHOICES = (25, 50, 100)
DEFAULT_PER_PAGE = 50


class BaseTable(tables.Table):
    """A list's table. `default_columns` are the columns it shows until its user chooses others (fleetui.core.columns):
    names first, then state, type and the key facts, fitting a 1,440 px window with account and region (added to the
    defaults wherever the table has them); the others are optional. `key_columns` are what a phone shows below 900 px
    (name or id, state, one or two more); the other cells carry the class `col-more`, which the stylesheet hides
    there. Empty: every column by default, and the first three on a phone. `wrap_columns` hold long free text (a
    name, a reason, a URL): their cells wrap at about 24 characters' width rather than widen the table."""

    default_columns: tuple[str, ...] = ()
    key_columns: tuple[str, ...] = ()
    wrap_columns: tuple[str, ...] = ()
    # Set per request by fleetui.core.columns.columns_choose: the columns a phone keeps (the others get `col-more`).
    phone_columns: set[str] | None = None

    def get_column_class_names(self, classes_set: set[str], bound_column: Any) -> set[str]:
        classes = super().get_column_class_names(classes_set, bound_column)
        if self.phone_columns is not None and bound_column.name not in self.phone_columns:
            classes = {*classes, "col-more"}
        if bound_column.name in self.wrap_columns:
            classes = {*classes, "col-wrap"}
        return classes

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


def table_sort(table: tables.Table, request: HttpRequest) -> tables.Table:
    """Apply `?sort=` (django-tables2 style, `-` for descending); an unknown column is ignored.

    The primary key breaks ties, so rows with equal values keep their place from one page to the next.
    """
    table.request = request
    order_by = [key for key in request.GET.getlist("sort") if key]
    if order_by:
        table.order_by = order_by
        queryset = getattr(table.data, "data", None)
        if isinstance(queryset, QuerySet) and queryset.query.order_by and "pk" not in queryset.query.order_by:
            table.data.data = queryset.order_by(*queryset.query.order_by, "pk")
    return table


def table_configure(table: tables.Table, request: HttpRequest) -> tables.Table:
    """Apply sorting and pagination from the query string.

    Unlike django-tables2's RequestConfig, the page size is limited to PER_PAGE_CHOICES (a request
    cannot ask for 100,000 rows); an unknown sort column is ignored; a page number past the end shows
    the last page and a non-number the first. A list as of a past moment takes its count from the query of its page
    (CountingPaginator): it reads the history once.
    """
    table_sort(table, request)
    per_page = per_page_from(request)
    queryset = getattr(table.data, "data", None)
    as_of = isinstance(queryset, QuerySet) and as_of_moment(queryset) is not None
    try:
        table.paginate(
            paginator_class=CountingPaginator if as_of else Paginator,
            page=request.GET.get("page") or 1,
            per_page=per_page,
        )
    except PageNotAnInteger:
        table.page = table.paginator.page(1)
    except EmptyPage:
        table.page = table.paginator.page(table.paginator.num_pages)
    return table


def _cell_plan(table: tables.Table) -> list[tuple[Any, str, Any, set[str] | None]]:
    """Per column, once per page: (bound column, <td> attributes, render callable, the arguments it takes)."""
    plan = []
    for column in table.columns:
        render = column.render
        parameters = inspect.signature(render).parameters
        takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
        td = AttributeDict(column.attrs.get("td", {})).as_html()
        plan.append((column, td, render, None if takes_any else set(parameters)))
    return plan


def table_body_html(table: tables.Table) -> SafeString:
    """The <tbody> rows of the current page.

    Does what django-tables2's per-cell rendering does for our tables (accessor, empty values, the
    table's `render_<column>` methods, escaping), but inspects each render method once per page rather
    than once per cell: at 100 rows by 17 columns that per-cell work was most of the page's time.
    """
    plan = _cell_plan(table)
    lines = []
    for row in table.paginated_rows:
        cells = []
        for column, td, render, wanted in plan:
            value = Accessor(column.accessor).resolve(row.record, quiet=True)
            if value in column.column.empty_values:
                content = column.default
            else:
                arguments = {
                    "value": value,
                    "record": row.record,
                    "column": column.column,
                    "bound_column": column,
                    "bound_row": row,
                    "table": table,
                }
                content = render(**{k: v for k, v in arguments.items() if wanted is None or k in wanted})
            cells.append(format_html("<td {}>{}</td>", td, conditional_escape(content)))
        lines.append(format_html("<tr {}>{}</tr>", row.attrs.as_html(), SafeString("".join(cells))))
    return SafeString("\n".join(lines))


def tidy_filter_form(form: forms.Form) -> forms.Form:
    """Filter-bar wording: "Any" rather than django's "Unknown" / "---------" for an unset choice, and a menu of
    checkboxes rather than a list box for a filter of several fixed values. Labels are the filters' own (`label=` on
    each filter), written as people say them."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.SelectMultiple) and isinstance(field, forms.ChoiceField):
            # A list of fixed values (`?finding=a&finding=b`): the choice filters' checkbox menu, not a list box.
            field.widget = ChoiceMenu(choices=field.choices, joined=False)  # type: ignore[arg-type]
        elif isinstance(widget, forms.NullBooleanSelect):
            widget.choices = [("", "Any"), ("true", "Yes"), ("false", "No")]
        elif isinstance(widget, forms.Select):
            widget.choices = [("", "Any") if value == "" else (value, label) for value, label in widget.choices]
    return form


class SelectColumn(tables.Column):
    """A row checkbox for the bulk action bar (templates/actions/_bulk_bar.html): it names that form by id,
    so the table need not sit inside it. The list view hides it from users who can run no action.

    The header is a select-all box for the page (static/fleetui/fleetui.js). Rows whose value is in the table's
    `selected` (the selection a refused bulk action handed back) start checked."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(verbose_name="", orderable=False, **kwargs)

    @property
    def header(self) -> SafeString:  # type: ignore[override]
        return mark_safe('<input type="checkbox" class="select-all" aria-label="Select every row on this page">')

    def render(self, value: Any, table: Any) -> SafeString:
        return format_html(
            '<input type="checkbox" name="target" value="{}" form="bulk-form" aria-label="Select {}"{}>',
            value,
            value,
            mark_safe(" checked") if value in getattr(table, "selected", ()) else "",
        )


STATE_CLASSES = {
    "running": "ok",
    "available": "ok",
    "succeeded": "ok",
    "in-use": "ok",
    "pending": "info",
    "running-sync": "info",
    "stopping": "warn",
    "stopped": "muted",
    "shutting-down": "warn",
    "terminated": "bad",
    "failed": "bad",
}


def badge(value: str, kind: str | None = None) -> SafeString:
    return format_html('<span class="badge {}">{}</span>', kind or STATE_CLASSES.get(value, "muted"), value or "—")


class AccountRegionMixin(tables.Table):
    account = tables.Column(accessor="account__account_id", verbose_name="Account", order_by="account__account_id")
    region = tables.Column()

    def render_account(self, record: Any) -> SafeString:
        """The account's name, its id on hover (the id where it has no name); the CSV keeps the id."""
        account = record.account
        return format_html('<span title="{}">{}</span>', account.account_id, account.name or account.account_id)


class TimeColumn(tables.Column):
    """A point in time: relative ("5 min ago"), with the absolute time on hover."""

    def render(self, value: Any) -> SafeString:
        return time_html(value)


class CopyColumn(tables.Column):
    """An id or address in monospace, with a copy button."""

    def render(self, value: Any) -> SafeString:
        return copy_html(value)


class CodeColumn(tables.Column):
    """A long machine value (a fingerprint, an S3 URL) in small monospace."""

    def render(self, value: Any) -> SafeString:
        return format_html('<code class="small">{}</code>', value)


class BadgeColumn(tables.Column):
    """The value as a badge. `kind(value, record)` names its class; by default the state's (STATE_CLASSES)."""

    def __init__(self, *args: Any, kind: Callable[[Any, Any], str | None] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def render(self, value: Any, record: Any) -> SafeString:
        return badge(value, self.kind(value, record) if self.kind else None)


class UrlColumn(tables.Column):
    """A link: `url(record)` is where it goes, `text(record)` what it says (the value by default)."""

    def __init__(
        self, *args: Any, url: Callable[[Any], str], text: Callable[[Any], Any] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.url, self.text = url, text

    def render(self, value: Any, record: Any) -> SafeString:
        return format_html('<a href="{}">{}</a>', self.url(record), self.text(record) if self.text else value)
