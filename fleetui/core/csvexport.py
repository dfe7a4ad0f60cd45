"""Stream a queryset as CSV: every matching row, in chunks, without holding them in memory."""

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

# A column: (header, accessor). The accessor is a dotted attribute path or a function of the row.
Column = tuple[str, str | Callable[[Any], Any]]
CHUNK_SIZE = 2000
# Spreadsheets run a cell that starts with one of these as a formula; tag values come from AWS users.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _value(row: Any, accessor: str | Callable[[Any], Any]) -> Any:
    if callable(accessor):
        return accessor(row)
    value = row
    for part in accessor.split("."):
        value = getattr(value, part, None) if value is not None else None
    return value


def _cell(value: Any, zone: dt.tzinfo) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value, zone).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_rows(rows: Iterable[Any], columns: Sequence[Column], zone: dt.tzinfo | None = None) -> Iterator[list[str]]:
    """The header, then one line per row; times in `zone` (ISO 8601 with the offset), by default the current one."""
    zone = zone or timezone.get_current_timezone()
    yield [header for header, _ in columns]
    for row in rows:
        yield [_cell(_value(row, accessor), zone) for _, accessor in columns]


def csv_response(*, queryset: QuerySet, columns: Sequence[Column], filename: str) -> StreamingHttpResponse:
    """A streaming CSV download of every row of `queryset` (iterated in chunks of CHUNK_SIZE)."""
    writer = csv.writer(_Echo())
    # The zone is read now: the response streams after the middleware that activated the user's has returned.
    zone = timezone.get_current_timezone()
    lines = (writer.writerow(row) for row in csv_rows(queryset.iterator(chunk_size=CHUNK_SIZE), columns, zone))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
