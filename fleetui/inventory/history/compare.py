"""Two moments of the fleet side by side: `/changes/compare/?from=&to=`.

For each type that declares `compare_by` (ResourceSync), its live rows at each moment are counted by each of those
fields and by account and region, in one pass per moment (PostgreSQL's GROUPING SETS over the `as_of` rows), and the
changes recorded in between are counted by kind and listed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Count, F, QuerySet

from fleetui.core.asof import rows_as_of

from ..models import ResourceChange
from ..sync.registry import SYNCS
from .selectors import change_list, changes_with_actions

LISTED = 50


def _counts(rows: QuerySet, fields: list[str]) -> list[dict[Any, int]]:
    """For each of `fields`, {value: live rows with it} over `rows`."""
    names = [f"g{i}" for i in range(len(fields))]
    grouped = rows.order_by().annotate(**{n: F(f) for n, f in zip(names, fields, strict=True)}).values(*names)
    if connection.vendor != "postgresql":
        return [dict(grouped.values_list(n).annotate(c=Count("pk")).values_list(n, "c")) for n in names]
    inner, params = grouped.query.sql_with_params()
    # GROUPING(g0, g1, ...) has bit (len-1-i) clear for the set grouped by g_i: one set per field.
    sets = ", ".join(f"({name})" for name in names)
    cols = ", ".join(names)
    sql = f"SELECT {cols}, GROUPING({cols}), count(*) FROM ({inner}) x GROUP BY GROUPING SETS ({sets})"  # noqa: S608
    result: list[dict[Any, int]] = [{} for _ in names]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for *values, flag, count in cursor.fetchall():
            index = next(i for i in range(len(names)) if not (flag >> (len(names) - 1 - i)) & 1)
            result[index][values[index]] = count
    return result


def compare_type(resource_type: str, start: datetime, end: datetime) -> dict[str, Any]:
    spec = SYNCS[resource_type]
    fields = [*spec.compare_by, *([] if spec.is_global else ["account__account_id", "region"])]
    labels = [*spec.compare_by, *([] if spec.is_global else ["account", "region"])]
    live = spec.model._default_manager.all()
    if "gone_at" in [f.attname for f in spec.model._meta.concrete_fields]:
        live = live.filter(gone_at__isnull=True)
    before, after = _counts(rows_as_of(live, start), fields), _counts(rows_as_of(live, end), fields)
    breakdowns = []
    for label, old, new in zip(labels, before, after, strict=True):
        values = sorted(set(old) | set(new), key=lambda v: (-(new.get(v, 0)), str(v)))
        rows = [
            {"value": v, "from": old.get(v, 0), "to": new.get(v, 0), "diff": new.get(v, 0) - old.get(v, 0)}
            for v in values
        ]
        breakdowns.append({"field": label, "rows": rows})
    total_from = sum(before[0].values()) if before else 0
    total_to = sum(after[0].values()) if after else 0
    return {
        "resource_type": resource_type,
        "breakdowns": breakdowns,
        "total": {"from": total_from, "to": total_to, "diff": total_to - total_from},
    }


def compare_moments(start: datetime, end: datetime) -> dict[str, Any]:
    types = [name for name, spec in SYNCS.items() if spec.compare_by]
    between = ResourceChange.objects.filter(at__gt=start, at__lte=end)
    kinds = dict(between.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    _, listed = change_list(filters={"since": start.isoformat(), "until": end.isoformat()})
    lists = {
        kind: changes_with_actions(list(listed.filter(kind=kind).order_by("-at", "-id")[:LISTED]))
        for kind in ("added", "gone", "changed")
    }
    return {
        "start": start,
        "end": end,
        "compared": [compare_type(name, start, end) for name in types],
        "kinds": {kind: kinds.get(kind, 0) for kind in ("added", "gone", "changed")},
        "lists": lists,
        "listed": LISTED,
    }
