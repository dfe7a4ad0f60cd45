"""The change feed's filters: the page, its CSV, its chart and `/api/v1/changes/` filter through this FilterSet."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django import forms
from django.db.models import Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from fleetui.core.asof import AsOfInvalid, moment_of
from fleetui.core.filters import CSVChoiceFilter

from ..models import ResourceChange
from ..sync.registry import RESOURCE_TYPES

OUTSIDE = "outside"  # the actor filter's value for changes made outside fleetui
KINDS = ResourceChange.Kind.choices


class MomentField(forms.CharField):
    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if not value:
            return None
        try:
            return moment_of(value, name=str(self.label or "time"))
        except AsOfInvalid as error:
            raise forms.ValidationError(str(error).partition(": ")[2]) from None


@extend_schema_field(OpenApiTypes.DATETIME)
class MomentFilter(df.Filter):
    """An ISO time or a date; `lookup_expr` compares `at` with it."""

    field_class = MomentField


class _ResourceTypes:
    """The declared resource types, read when the filter's field is built (the registry fills when Django starts)."""

    def __iter__(self) -> Any:
        return iter([(name, name) for name in RESOURCE_TYPES])


class ChangeFilterSet(df.FilterSet):
    """`?resource_type=instances&account=123456789012&region=eu-west-1&kind=changed&field=state&actor=outside
    &since=2026-11-27&until=2026-11-28T12:00Z&q=web`."""

    resource_type = CSVChoiceFilter(field_name="resource_type", label="Type", choices=_ResourceTypes())
    account = CSVChoiceFilter(field_name="account__account_id", label="Account id")
    region = CSVChoiceFilter(field_name="region", label="Region")
    kind = CSVChoiceFilter(field_name="kind", label="Kind", choices=KINDS)
    field = df.CharFilter(method="filter_field", label="Field", help_text="A changed field, e.g. state")
    actor = df.CharFilter(method="filter_actor", label="Actor", help_text=f'A fleetui user, or "{OUTSIDE}"')
    since = MomentFilter(field_name="at", lookup_expr="gte", label="Since")
    until = MomentFilter(field_name="at", lookup_expr="lt", label="Until")
    q = df.CharFilter(method="filter_q", label="Search", help_text="Resource id or Name tag")

    class Meta:
        model = ResourceChange
        fields: list[str] = []

    def filter_field(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(diff__has_key=value.strip()) if value.strip() else queryset

    def filter_actor(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(actor="" if value.lower() in (OUTSIDE, "outside fleetui") else value)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(resource_id__icontains=value) | Q(name__icontains=value))
