"""The one way every selector filters: a bound FilterSet and its rows, or no rows when a value is invalid."""

from collections.abc import Mapping
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
