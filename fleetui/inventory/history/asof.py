"""Where `?as_of=` reads the past from (registered with fleetui.core.asof when Django starts).

The versions valid at T are the records of the type with `at <= T < valid_to` (or no `valid_to`): one range read of
the `change_version_idx` index. Each record's `row` holds the resource table's columns, which PostgreSQL turns back
into a row of that table's own type (`jsonb_populate_record`), so the list's query runs on it unchanged.
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


def versions_sql(model: type[Model], moment: datetime) -> tuple[str, list[Any]] | None:
    """SQL selecting `model`'s table's columns as they were at `moment`; None for a model the history does not keep."""
    resource_type = resource_type_of(model)
    if resource_type is None:
        return None
    quote = connection.ops.quote_name
    # Names come from the models; every value is a parameter.
    changes = quote(ResourceChange._meta.db_table)
    if connection.vendor == "postgresql":
        # In FROM (LATERAL), the function runs once per record; `(f(row)).*` in the select list would run it once
        # per column.
        source = f"{changes} c CROSS JOIN LATERAL jsonb_populate_record(NULL::{quote(model._meta.db_table)}, c.row) r"
        columns = "r.*"
    else:  # SQLite, for a demo: one json_extract per column
        source = f"{changes} c"
        columns = ", ".join(
            f"json_extract(c.row, '$.{field.column}') AS {quote(str(field.column))}"
            for field in model._meta.concrete_fields
        )
    where = "c.resource_type = %s AND c.at <= %s AND (c.valid_to > %s OR c.valid_to IS NULL)"
    sql = f"SELECT {columns} FROM {source} WHERE {where}"  # noqa: S608
    return sql, [resource_type, moment, moment]
