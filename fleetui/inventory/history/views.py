"""The history's pages: `/changes/` (the fleet-wide feed, its CSV and its daily chart) and `/changes/compare/`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from fleetui.core.asof import AsOfInvalid, moment_parse
from fleetui.core.csvexport import csv_response
from fleetui.core.fields import csv_columns
from fleetui.core.savedviews import saved_views_context, saved_views_list

from ..serializers import CHANGE_FIELDS
from .compare import compare_moments
from .filters import OUTSIDE, ChangeFilterSet
from .selectors import change_list, changes_with_actions, daily_counts

PER_PAGE = 50


CSV_COLUMNS = csv_columns(CHANGE_FIELDS)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


@saved_views_list("Changes", ChangeFilterSet)
def changes_feed(request: HttpRequest) -> HttpResponseBase:
    """Every change, newest first, filtered (see ChangeFilterSet); `?export=csv` downloads all that match.

    Pages are read with LIMIT/OFFSET and no COUNT (a count of a million records would cost more than the page)."""
    filterset, rows = change_list(filters=request.GET)
    valid = filterset.is_valid()
    rows = rows.order_by("-at", "-id")
    if valid and request.GET.get("export") == "csv":
        return csv_response(queryset=rows, columns=CSV_COLUMNS, filename="changes.csv")
    page = _page_number(request)
    found = list(rows[(page - 1) * PER_PAGE : page * PER_PAGE + 1])
    data = filterset.form.cleaned_data if valid else {}
    context = {
        "filter": filterset,
        "changes": changes_with_actions(found[:PER_PAGE]),
        "page": page,
        "has_next": len(found) > PER_PAGE,
        "chart": daily_counts(rows, filters=data) if valid else None,
        "outside": OUTSIDE,
        **saved_views_context(request),
    }
    return render(request, "inventory/changes.html", context, status=200 if valid else 400)


def changes_compare(request: HttpRequest) -> HttpResponse:
    """`?from=&to=`: the instance mix at both moments with the difference, and what was added, gone and changed."""
    context: dict[str, Any] = {"values": {"from": request.GET.get("from", ""), "to": request.GET.get("to", "")}}
    if not (context["values"]["from"] or context["values"]["to"]):
        return render(request, "inventory/compare.html", context)
    try:
        start = moment_parse(context["values"]["from"] or "", name="from")
        end = moment_parse(context["values"]["to"] or "", name="to")
        if start > end:
            raise AsOfInvalid(f"from: {start:%Y-%m-%d %H:%M:%S} UTC is after to ({end:%Y-%m-%d %H:%M:%S} UTC).")
    except AsOfInvalid as error:
        context["error"] = str(error)
        return render(request, "inventory/compare.html", context, status=400)
    context.update(compare_moments(start, end))
    return render(request, "inventory/compare.html", context)
