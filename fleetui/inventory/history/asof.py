"""Where `?as_of=` reads the past from (registered with fleetui.core.asof when Django starts).

The rows at T are the live rows rolled back. A record keeps, in `before`, the old value of every column its write
changed, so a row at T is its live row with, for each column, the oldest `before` value among its records written
after T. Only the rows changed since T are rolled back: their records since T (one range of the records' time
index) are merged per row and joined, hashed, to one pass over the live table by `row_id`; the other rows are read
as they are. The cost is one pass over the live table plus the changes since T, not one stored row per resource. A
row whose first record (`before` null: first seen) came after T did not exist then.

What is not rolled back: a write the sync made without a record (only `noise` fields changed, such as an instance's
`launch_time`) leaves the noise fields and `last_seen` at their newer values, and a row a sync added while
FLEETUI_HISTORY was off has no record, so it shows at earlier moments too. Every other column is exact.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from django.db import connection
from django.db.models import Field, Model

from ..models import ResourceChange
from ..sync.registry import SYNCS


def resource_type_of(model: type[Model]) -> str | None:
    return next((name for name, spec in SYNCS.items() if spec.model is model), None)


def versions_sql(
    model: type[Model], moment: datetime, pks: Collection[Any] | None = None
) -> tuple[str, list[Any]] | None:
    """SQL selecting `model`'s table's columns as they were at `moment`, of the rows of `pks` only when given; None
    for a model the history does not keep."""
    resource_type = resource_type_of(model)
    if resource_type is None:
        return None
    build = _postgresql if connection.vendor == "postgresql" else _portable
    return build(resource_type, model, moment, None if pks is None else list(pks))


def _among(column: str, pks: list[Any] | None) -> tuple[str, list[Any]]:
    """` AND <column> IN (...)` restricting to `pks`, with its parameters; nothing when `pks` is None."""
    if pks is None:
        return "", []
    if not pks:
        return " AND FALSE", []
    return f" AND {column} IN ({', '.join(['%s'] * len(pks))})", pks


def _rolled_back(field: Field, old: str, live: str) -> str:
    """SQL for one column at T: its value in `old` (the merged `before`s) when named there, else the live value."""
    quote = connection.ops.quote_name
    column = str(field.column)
    name = "'" + column.replace("'", "''") + "'"
    db_type = field.db_type(connection)
    value = f"{old} -> {name}" if db_type == "jsonb" else f"CAST({old} ->> {name} AS {db_type})"
    return f"CASE WHEN {old} ? {name} THEN {value} ELSE {live}.{quote(column)} END"


def _records_of(resource_type: str, model: type[Model], pks: list[Any] | None) -> tuple[str, list[Any]]:
    """The condition restricting the records to those of the rows of `pks`, with its parameters (nothing for None).

    By `row_id`, and for a regional type also by what the records' own index starts with (type, account, region,
    resource id: `change_resource_idx`), which the recorder writes from the row's scope and key: each row's records
    are then found by one index range, not by reading every record since T to compare its `row_id`."""
    among, params = _among("row_id", pks)
    spec = SYNCS[resource_type]
    if not pks or spec.is_global:
        return among, params
    quote = connection.ops.quote_name
    key_field = cast(Field, model._meta.get_field(spec.key))  # a CharField, never a relation
    key, pk = quote(str(key_field.column)), quote(str(model._meta.pk.column))
    rows = f"SELECT p.account_id, p.region, p.{key} FROM {quote(model._meta.db_table)} p WHERE p.{pk} IN"  # noqa: S608
    marks = ", ".join(["%s"] * len(pks))
    return f"{among} AND (account_id, region, resource_id) IN ({rows} ({marks}))", [*params, *pks]


def _postgresql(
    resource_type: str, model: type[Model], moment: datetime, pks: list[Any] | None
) -> tuple[str, list[Any]]:
    quote = connection.ops.quote_name
    changes, table = quote(ResourceChange._meta.db_table), quote(model._meta.db_table)
    # One expression per column, not jsonb_populate_record: a query that reads a few columns (a count, a filter)
    # computes only those. The primary key is the live one: it is what the records name the row by, and a filter on
    # it (the deferred join's page of ids) reaches the table's primary key index.
    columns = ", ".join(
        f"{'t.' + quote(str(field.column)) if field.primary_key else _rolled_back(field, 'c.old', 't')} "
        f"AS {quote(str(field.column))}"
        for field in model._meta.concrete_fields
    )
    # Names come from the models; every value is a parameter. A row's records since T, newest first, are merged by
    # `history_merge` (jsonb ||, migration 0008): the oldest record's old value of a column is merged last and wins.
    # One pass over the live table, joined to the merged records of the rows changed since T (hashed): a row without
    # any keeps its live values (`c.old` is null, so every CASE takes the live column). Not a UNION of the unchanged
    # rows and the rolled-back ones: that read the table twice and anti-joined every row to the records. With `pks`
    # (a page's rows, by id) both sides are restricted: PostgreSQL would not carry a filter on the live rows' ids
    # over the outer join into the records' GROUP BY.
    records_among, records_pks = _records_of(resource_type, model, pks)
    rows_among, rows_pks = _among(f"t.{quote(str(model._meta.pk.column))}", pks)
    sql = f"""
        SELECT {columns} FROM {table} t LEFT JOIN (
            SELECT row_id, bool_or(before IS NULL) AS born, history_merge(before) AS old
            FROM (
                SELECT row_id, before FROM {changes}
                WHERE resource_type = %s AND at > %s{records_among} ORDER BY row_id, at DESC, id DESC
            ) since
            GROUP BY row_id
        ) c ON c.row_id = t.id
        WHERE c.born IS NOT TRUE{rows_among}
    """  # noqa: S608
    return sql, [resource_type, moment, *records_pks, *rows_pks]


def _portable(resource_type: str, model: type[Model], moment: datetime, pks: list[Any] | None) -> tuple[str, list[Any]]:
    """SQLite (the demo): each column is the oldest `before` value after T that names it, else the live value."""
    quote = connection.ops.quote_name
    changes, table = quote(ResourceChange._meta.db_table), quote(model._meta.db_table)
    after = f"FROM {changes} c WHERE c.resource_type = %s AND c.at > %s AND c.row_id = t.id"
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
    among, among_pks = _among(f"t.{quote(str(model._meta.pk.column))}", pks)
    where = f"NOT EXISTS (SELECT 1 {after} AND c.before IS NULL){among}"
    sql = f"SELECT {', '.join(columns)} FROM {table} t WHERE {where}"  # noqa: S608
    params += [resource_type, moment, *among_pks]
    return sql, params
