"""`?as_of=<ISO time>` on every list: the rows as they were at that moment, with their values then.

A list's queryset keeps its filters, joins, sort and annotations; only its base table is swapped for a derived table
of the same columns built from the history as it was at the moment (`DerivedTable`), so the page, its CSV and its
API filter and sort the past exactly as they do the present. A page's rows, once its ids are known (the deferred
join, fleetui.core.querysets), are read from a derived table of those rows only (`pks`): the history of the others
is not read again. Core holds the mechanism; the inventory engine, which owns the history, registers where the past
rows come from (`as_of_source_register`): core may not import it.

`as_of_parse` answers the bad inputs with a message naming the parameter: unparsable, in the future, or before
what the history keeps (FLEETUI_HISTORY_DAYS).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.db.models.sql.datastructures import BaseTable
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

# (model, moment, pks) -> (SQL selecting the model table's columns as they were, params), or None if not recorded.
# With `pks` (not None), only the rows of those primary keys.
AsOfSource = Callable[[type[Model], datetime, "Collection[Any] | None"], "tuple[str, list[Any]] | None"]
_SOURCES: list[AsOfSource] = []


class AsOfInvalid(ValueError):
    """A bad `as_of` (or `from`/`to`): the message says which and why."""


def as_of_source_register(source: AsOfSource) -> None:
    _SOURCES[:] = [source]


def history_days() -> int:
    return int(getattr(settings, "FLEETUI_HISTORY_DAYS", 400))


def moment_of(value: str, *, name: str) -> datetime:
    """An ISO time (`2026-11-27T14:00`, with `Z` or an offset; UTC if none) or a date (its midnight UTC).
    Raises AsOfInvalid naming `name`."""
    text = value.strip()
    # "2026-11-27 14:00" is a time too; a "+00:00" offset arrives as " 00:00" when a URL did not encode its "+".
    text = text.replace(" ", "+") if "T" in text else text.replace(" ", "T", 1).replace(" ", "+")
    try:
        moment = parse_datetime(text) if "T" in text else None
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime.combine(day, time())
    except ValueError:
        moment = None
    if moment is None:
        raise AsOfInvalid(
            f"{name}: {value!r} is not a time. Use an ISO 8601 time such as 2026-11-27T14:00:00Z, or a date."
        )
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, UTC)
    try:
        # In UTC: PostgreSQL takes offsets up to 15:59 only, and ISO 8601 up to 23:59 (a 500 on "+18:46").
        return moment.astimezone(UTC)
    except OverflowError:
        raise AsOfInvalid(f"{name}: {value!r} is out of range once in UTC.") from None


def moment_parse(value: str, *, name: str = "as_of", now: datetime | None = None) -> datetime:
    """`moment_of`, checked to lie between the start of the history and now. Raises AsOfInvalid naming `name`."""
    now = now or timezone.now()
    moment = moment_of(value, name=name)
    if moment > now + timedelta(seconds=5):
        raise AsOfInvalid(f"{name}: {moment:%Y-%m-%d %H:%M:%S} UTC is in the future; history ends now.")
    oldest = now - timedelta(days=history_days())
    if moment < oldest:
        raise AsOfInvalid(
            f"{name}: {moment:%Y-%m-%d %H:%M:%S} UTC is before what the history keeps "
            f"({history_days()} days, FLEETUI_HISTORY_DAYS: from {oldest:%Y-%m-%d %H:%M} UTC)."
        )
    return moment


def as_of_from(query: Mapping[str, Any]) -> datetime | None:
    """The `as_of` of a request's query string, None when absent; AsOfInvalid when bad."""
    value = query.get("as_of") or ""
    return moment_parse(value) if str(value).strip() else None


class DerivedTable(BaseTable):
    """A query's base table replaced by `(sql) AS "<table>"`: every column reference stays valid."""

    def __init__(self, table_name: str, alias: str | None, sql: str, params: list[Any], moment: datetime) -> None:
        super().__init__(table_name, alias)
        self.sql, self.params, self.moment = sql, params, moment

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        return f"({self.sql}) {connection.ops.quote_name(self.table_alias)}", tuple(self.params)

    def relabeled_clone(self, change_map: dict[str | None, str]) -> DerivedTable:
        alias = change_map.get(self.table_alias, self.table_alias)
        return self.__class__(self.table_name, alias, self.sql, self.params, self.moment)

    @property
    def identity(self) -> tuple[Any, ...]:
        return (*super().identity, self.sql, tuple(map(str, self.params)))


def as_of_moment(queryset: QuerySet) -> datetime | None:
    """The moment `queryset` reads the rows as of (rows_as_of), None when it reads the present."""
    tables = queryset.query.alias_map.values()
    return next((table.moment for table in tables if isinstance(table, DerivedTable)), None)


def rows_as_of(queryset: QuerySet, moment: datetime, *, pks: Collection[Any] | None = None) -> QuerySet:
    """`queryset` read from the rows as they were at `moment`, only those of `pks` when given (a page's rows, by
    id); AsOfInvalid for a list the history does not keep. On a queryset as of a moment already, the moment is
    replaced."""
    source = _SOURCES[0](queryset.model, moment, pks) if _SOURCES else None
    if source is None:
        raise AsOfInvalid(f"as_of: the history does not keep {queryset.model._meta.verbose_name_plural}.")
    sql, params = source
    clone = queryset.all() if pks is None else queryset.filter(pk__in=pks)
    alias = clone.query.get_initial_alias()
    base = clone.query.alias_map[alias]
    clone.query.alias_map[alias] = DerivedTable(base.table_name, base.table_alias, sql, params, moment)
    return clone
