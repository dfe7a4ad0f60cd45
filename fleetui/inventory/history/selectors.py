"""Reads of the history: the feed (page, CSV, API), a resource's timeline, the daily chart, the overview line."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from fleetui.core.selectors import Selector

from ..models import ChangeCount, ResourceChange
from .attribution import actions_describe
from .filters import OUTSIDE, ChangeFilterSet

CHART_DAYS = 30
DAY_WIDTH, CHART_HEIGHT = 10, 100
# The feed's filters ChangeCount can answer the chart for.
ROLLED_UP = {"resource_type", "kind", "actor", "since", "until"}


def _changes() -> QuerySet[ResourceChange]:
    """Every change record, with its account joined (`before` is for `as_of`, not for people)."""
    return ResourceChange.objects.select_related("account").defer("before")


change_list = Selector(ChangeFilterSet, _changes)


def changes_with_actions(changes: list[ResourceChange]) -> list[ResourceChange]:
    """Each change with `.made_by` (the action's label, reason and url) where fleetui made it, else None."""
    described = actions_describe({c.action_id for c in changes if c.action_id})
    for change in changes:
        change.made_by = described.get(change.action_id) if change.action_id else None  # type: ignore[attr-defined]
    return changes


def timeline_of(*, resource_type: str, account_id: int | None, region: str, resource_id: str, limit: int = 50) -> list:
    """A resource's changes, newest first (the timeline on its page)."""
    rows = _changes().filter(resource_type=resource_type, account=account_id, region=region, resource_id=resource_id)
    return changes_with_actions(list(rows[:limit]))


def _listed(value: Any) -> list[str]:
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


def _whole_days(since: datetime, until: datetime | None) -> bool:
    """Whether the chart's range is whole UTC days (or runs to now: no record is newer)."""
    midnight = lambda moment: moment.astimezone(UTC).time() == time()  # noqa: E731
    return midnight(since) and (until is None or midnight(until) or until >= timezone.now())


def _rolled_up(filters: Mapping[str, Any], since: datetime, until: datetime | None) -> QuerySet | None:
    """The chart's counts from ChangeCount, when it can answer: on PostgreSQL (where triggers keep it), for whole
    UTC days, filtered by nothing but type, kind and "outside fleetui". None otherwise (count the records)."""
    used = {name for name, value in filters.items() if str(value or "").strip()}
    actor = str(filters.get("actor") or "").strip().lower()
    if (
        connection.vendor != "postgresql"
        or used - ROLLED_UP
        or actor not in ("", OUTSIDE, "outside fleetui")
        or not _whole_days(since, until)
    ):
        return None
    counts = ChangeCount.objects.filter(day__gte=since.astimezone(UTC).date())
    if until is not None:
        counts = counts.filter(day__lte=(until - timedelta(microseconds=1)).astimezone(UTC).date())
    if types := _listed(filters.get("resource_type")):
        counts = counts.filter(resource_type__in=types)
    if kinds := _listed(filters.get("kind")):
        counts = counts.filter(kind__in=kinds)
    if actor:
        counts = counts.filter(outside=True)
    return counts.order_by().values("day", "kind").annotate(n=Sum("count"))


def daily_counts(changes: QuerySet, *, filters: Mapping[str, Any]) -> dict[str, Any]:
    """{"days": [{"day", "added", "changed", "gone", "total"}], "max"} for the chart: the changes (`changes`,
    filtered by the feed's `filters`) per UTC day between `since` and `until`; the last CHART_DAYS days (today and
    the days before it) when neither is given."""
    until = filters.get("until") or timezone.now()
    first_day = until.astimezone(UTC).date() - timedelta(days=CHART_DAYS - 1)
    since = filters.get("since") or datetime.combine(first_day, time(), UTC)
    rows = _rolled_up(filters, since, filters.get("until"))
    if rows is None:
        rows = (
            changes.filter(at__gte=since, at__lt=until)
            .order_by()
            .annotate(day=TruncDate("at", tzinfo=UTC))
            .values("day", "kind")
            .annotate(n=Count("pk"))
        )
    by_day: dict[Any, dict[str, int]] = {}
    for row in rows:
        by_day.setdefault(row["day"], {})[row["kind"]] = row["n"]
    days: list[dict[str, Any]] = []
    day, last = since.astimezone(UTC).date(), (until - timedelta(microseconds=1)).astimezone(UTC).date()
    while day <= last and len(days) < 400:
        counts = by_day.get(day, {})
        kinds = {kind: counts.get(kind, 0) for kind in ("added", "changed", "gone")}
        days.append({"day": day, **kinds, "total": sum(kinds.values())})
        day += timedelta(days=1)
    top = max([d["total"] for d in days] + [0])
    return {"days": days, "max": top, "width": len(days) * DAY_WIDTH, "bars": _bars(days, top)}


def _bars(days: list[dict[str, Any]], top: int) -> list[dict[str, Any]]:
    """The chart's rectangles (SVG units: a day is DAY_WIDTH wide, the tallest day CHART_HEIGHT high), stacked
    added, changed, gone from the bottom."""
    bars = []
    for index, day in enumerate(days):
        y = float(CHART_HEIGHT)
        for kind in ("added", "changed", "gone"):
            if not day[kind]:
                continue
            height = day[kind] / top * CHART_HEIGHT
            y -= height
            title = f"{day['day']:%Y-%m-%d}: {day[kind]} {kind}"
            x = index * DAY_WIDTH + 1
            bars.append({"kind": kind, "x": x, "y": round(y, 2), "h": round(height, 2), "title": title})
    return bars


def recent_counts(*, hours: int = 24) -> dict[str, int]:
    """{"total", "outside"}: changes in the last `hours`, and those made outside fleetui (the overview line)."""
    recent = ResourceChange.objects.filter(at__gte=timezone.now() - timedelta(hours=hours))
    return recent.aggregate(total=Count("pk"), outside=Count("pk", filter=Q(actor="")))


def overview() -> dict[str, Any]:
    """The home page's line: changes in the last 24 h and those made outside fleetui."""
    since = timezone.now() - timedelta(hours=24)
    return {"recent": recent_counts(hours=24), "since": since.strftime("%Y-%m-%dT%H:%MZ")}
