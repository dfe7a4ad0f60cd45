"""The Activity page's filters; the CSV export and `GET /api/v1/actions/` use the same FilterSet."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from fleetui.core.filters import FilterSet, InventoryChoiceFilter, TimeFilter, aws_region

from .models import Action
from .registry import OPERATIONS


def kind_choices() -> list[tuple[str, str]]:
    return sorted((kind, f"{kind} · {op.label}") for kind, op in OPERATIONS.items())


class ActionFilterSet(FilterSet):
    """`?status=failed&kind=<service>.<verb>&user=otto&target=<resource id>&since=2026-11-01`."""

    q = df.CharFilter(method="filter_q", label="Search", help_text="Reason, kind, target or user.")
    kind = df.MultipleChoiceFilter(field_name="kind", choices=kind_choices)
    status = InventoryChoiceFilter(field_name="status", choices=Action.Status.choices, label="Status")
    user = df.CharFilter(field_name="requested_by__username", label="Requested by")
    account = InventoryChoiceFilter(field_name="account__account_id", label_field="account__name", label="Account")
    region = InventoryChoiceFilter(field_name="region", label="Region", accept=aws_region)
    target = df.CharFilter(method="filter_target", label="Target id")
    since = TimeFilter(field_name="created_at", lookup_expr="gte", label="Requested since")
    until = TimeFilter(field_name="created_at", lookup_expr="lt", label="Requested before")

    class Meta:
        model = Action
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.annotate(_targets=Cast("targets", TextField())).filter(
            Q(reason__icontains=value)
            | Q(kind__icontains=value)
            | Q(requested_by__username__icontains=value)
            | Q(_targets__icontains=value)
        )

    def filter_target(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        # A JSON list column: match the id as a quoted element, so "i-1" does not match "i-12".
        value = str(value).strip()
        if not value:
            return queryset
        return queryset.annotate(_targets=Cast("targets", TextField())).filter(_targets__contains=f'"{value}"')
