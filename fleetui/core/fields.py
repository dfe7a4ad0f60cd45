"""One declaration of what scripts see of a resource: its CSV export's columns and its API serializer's fields both
derive from the same list of `Field`s, so the two never drift apart.

A field is in both unless it says otherwise (`csv=False`: too nested for a spreadsheet cell; `api=False`: a
spreadsheet convenience the API gives another way, like one tag's value). The list's order is the CSV's column
order. A field whose `source` is not a model field needs a declared serializer field of the same name (for its
type in the OpenAPI schema); DRF refuses to start otherwise.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .csvexport import Column


@dataclass(frozen=True)
class Field:
    name: str
    # For the CSV: a dotted path from the row, or a function of the row; the name by default.
    source: str | Callable[[Any], Any] = ""
    csv: bool = True
    api: bool = True


def csv_columns(fields: Sequence[Field]) -> list[Column]:
    return [(field.name, field.source or field.name) for field in fields if field.csv]


def api_fields(fields: Sequence[Field]) -> list[str]:
    return [field.name for field in fields if field.api]


def tag(key: str) -> Callable[[Any], str]:
    """A CSV column of one tag's value ("" when the resource lacks it)."""
    return lambda row: (row.tags or {}).get(key, "")


# Every synced resource begins with these: the 12-digit account id (not our row id) and the region, so a script can
# join the output with the AWS CLI's; the API adds our id, the tags and the sync's own times.
RESOURCE = [
    Field("id", csv=False),
    Field("account_id", "account.account_id"),
    Field("region"),
    Field("tags", csv=False),
    Field("first_seen", csv=False),
    Field("last_seen", csv=False),
    Field("gone_at", csv=False),
]
