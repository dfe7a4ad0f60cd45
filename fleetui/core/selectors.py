"""The one way every list is read: its page, its CSV export and its API all go through the same `Selector`."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import django_filters as df
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


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


def with_account(model: type[Any]) -> Callable[[], QuerySet]:
    """A `Selector.rows` of every row of `model` with its account joined (every list prints its 12-digit id)."""
    return lambda: model.objects.select_related("account")


def count_in_scope(queryset: QuerySet, **match: Any):
    """A correlated COUNT subquery, for an annotation: the `queryset` rows in the outer row's account and region that
    match `match`, where F("x") names the outer row's column x (members of a group, users of a key pair)."""
    counted = (
        queryset.filter(account=OuterRef("account"), region=OuterRef("region"), **_outer_refs(match))
        .order_by()
        .values("account")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _outer_refs(match: dict[str, Any]) -> dict[str, Any]:
    # F("x") in the caller names the outer row's column; a subquery needs OuterRef for it.
    return {key: OuterRef(value.name) if isinstance(value, F) else value for key, value in match.items()}  # type: ignore[attr-defined]
