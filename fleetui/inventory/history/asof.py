"""Where `?as_of=` reads the past from (registered with fleetui.core.asof when Django starts).

The rows at T are the live rows rolled back: a record keeps, in `before`, the old value of every column its write
changed, so the row at T is the live row with, for each column, the oldest `before` value among the records written
after T (`jsonb_populate_record(row, overrides)` in PostgreSQL). Only the resources changed since T are rolled back;
the others are read from the live table as they are, so the cost is the live list's plus the records since T (one
range of the `change_type_at_idx` index), not one JSON row per resource. A resource whose first record (`before` is
null: first seen) came after T did not exist then; one with no record since T existed if it was first seen by T.

What is not rolled back: a write the sync made without a record (only `noise` fields changed, such as an instance's
`launch_time`) leaves the noise fields and `last_seen` at their newer values; every other column is exact.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Model

from ..models import ResourceChange
from ..sync.registry import SYNCS


def resource_type_of(model: type[Model]) -> str | None:
    return next((name for name, spec in SYNCS.items() if spec.model is model), None)


def _match(resource_type: str, model: type[Model], record: str, row: str) -> str:
    """SQL matching change records (alias `record`) with the rows of `model` (alias `row`) they describe."""
    quote = connection.ops.quote_name
    spec = SYNCS[resource_type]
    key = quote(str(model._meta.get_field(spec.key).column))
    cast = "CAST({} AS TEXT)".format(f"{row}.{key}")
    if spec.is_global:
        return f"{record}.resource_id = {cast}"
    return (
        f"{record}.account_id = {row}.account_id AND {record}.region = {row}.region AND {record}.resource_id = {cast}"
    )


def versions_sql(model: type[Model], moment: datetime) -> tuple[str, list[Any]] | None:
    """SQL selecting `model`'s table's columns as they were at `moment`; None for a model the history does not keep."""
    resource_type = resource_type_of(model)
    if resource_type is None:
        return None
    build = _postgresql if connection.vendor == "postgresql" else _portable
    return build(resource_type, model, moment)


def _first_seen(model: type[Model], row: str) -> tuple[str, bool]:
    if "first_seen" in [field.attname for field in model._meta.concrete_fields]:
        return f"{row}.first_seen <= %s", True
    return "TRUE", False


def _postgresql(resource_type: str, model: type[Model], moment: datetime) -> tuple[str, list[Any]]:
    quote = connection.ops.quote_name
    changes, table = quote(ResourceChange._meta.db_table), quote(model._meta.db_table)
    scope = "" if SYNCS[resource_type].is_global else "c.account_id, c.region, "
    seen, has_first_seen = _first_seen(model, "t")
    # Names come from the models; every value is a parameter. jsonb_object_agg keeps a key's last value: ordered
    # newest first, the oldest record after T gives each column its value at T.
    sql = f"""
        WITH changed AS (
            SELECT {scope}c.resource_id, bool_or(c.before IS NULL) AS born,
                   jsonb_object_agg(e.key, e.value ORDER BY c.at DESC, c.id DESC)
                       FILTER (WHERE e.key IS NOT NULL) AS old
            FROM {changes} c LEFT JOIN LATERAL jsonb_each(c.before) e ON TRUE
            WHERE c.resource_type = %s AND c.at > %s
            GROUP BY {scope}c.resource_id
        )
        SELECT t.* FROM {table} t
        WHERE {seen} AND NOT EXISTS (SELECT 1 FROM changed c WHERE {_match(resource_type, model, "c", "t")})
        UNION ALL
        SELECT r.* FROM changed c JOIN {table} t ON {_match(resource_type, model, "c", "t")}
        CROSS JOIN LATERAL jsonb_populate_record(t, COALESCE(c.old, '{{}}'::jsonb)) r
        WHERE NOT c.born
    """  # noqa: S608
    return sql, [resource_type, moment, *([moment] if has_first_seen else [])]


def _portable(resource_type: str, model: type[Model], moment: datetime) -> tuple[str, list[Any]]:
    """SQLite (the demo): each column is the oldest `before` value after T that names it, else the live value."""
    quote = connection.ops.quote_name
    changes, table = quote(ResourceChange._meta.db_table), quote(model._meta.db_table)
    after = f"FROM {changes} c WHERE c.resource_type = %s AND c.at > %s AND {_match(resource_type, model, 'c', 't')}"
    columns, params = [], []
    for field in model._meta.concrete_fields:
        column = str(field.column)
        path = f"'$.\"{column}\"'"
        named = f"{after} AND json_type(c.before, {path}) IS NOT NULL"
        columns.append(
            f"CASE WHEN EXISTS (SELECT 1 {named}) THEN (SELECT json_extract(c.before, {path}) {named} "
            f"ORDER BY c.at, c.id LIMIT 1) ELSE t.{quote(column)} END AS {quote(column)}"
        )
        params += [resource_type, moment, resource_type, moment]
    seen, has_first_seen = _first_seen(model, "t")
    where = f"NOT EXISTS (SELECT 1 {after} AND c.before IS NULL) AND ({seen} OR EXISTS (SELECT 1 {after}))"
    sql = f"SELECT {', '.join(columns)} FROM {table} t WHERE {where}"  # noqa: S608
    params += [resource_type, moment, *([moment] if has_first_seen else []), resource_type, moment]
    return sql, params
