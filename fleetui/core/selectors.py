"""The one way every list is read: its page, its CSV export and its API all go through the same `Selector`."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import django_filters as df
from django.db.models import QuerySet


def filtered(
    filterset_class: type[df.FilterSet], queryset: QuerySet, filters: Mapping[str, Any]
) -> tuple[Any, QuerySet]:
    """`(filterset, queryset)`: the FilterSet bound to `filters` (its `form` carries any validation errors) and the
    filtered rows, or an empty queryset when a value is invalid, so a caller can never show unfiltered rows by
    mistake."""
    filterset = filterset_class(data=filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs


@dataclass(frozen=True)
class Selector:
    """A list's way to read: `rows()`, the base queryset with the joins and annotations the list prints, filtered by
    `filterset`. `selector(filters=...)` gives `(filterset, rows)` (see `filtered`) to the page and the CSV export;
    the API's viewset (fleetui.core.api.InventoryViewSet) reads the same `rows()` through the same FilterSet."""

    filterset: type[df.FilterSet]
    rows: Callable[[], QuerySet]

    def __call__(self, *, filters: Mapping[str, Any]) -> tuple[Any, QuerySet]:
        return filtered(self.filterset, self.rows(), filters)
