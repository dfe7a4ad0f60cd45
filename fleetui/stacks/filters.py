"""FilterSets of the CloudFormation inventory: the pages, their CSV exports and the API filter through the same
classes. Like every service's (fleetui.core.filters): rows a sync no longer saw are hidden unless `?gone=true`, and
an invalid value is a form error (a 400 in the API), never a 500."""

import django_filters as df
from django.db.models import Q, QuerySet

from fleetui.core.filters import (
    CSVChoiceFilter,
    InventoryChoiceFilter,
    ResourceFilterSet,
    StrictBooleanFilter,
    words_match,
)

from .links_table import LINKS
from .models import FINDING_PART, FINDING_SUFFIX, Stack, StackEvent, StackResource

DRIFT = [("DRIFTED", "Drifted"), ("IN_SYNC", "In sync"), ("UNKNOWN", "Unknown"), ("NOT_CHECKED", "Not checked")]
RESOURCE_DRIFT = [
    ("MODIFIED", "Modified"), ("DELETED", "Deleted"), ("IN_SYNC", "In sync"), ("NOT_CHECKED", "Not checked"),
]  # fmt: skip


def finding_q() -> Q:
    """A stack whose last operation failed or was rolled back (*_FAILED, *ROLLBACK_*)."""
    return Q(status__endswith=FINDING_SUFFIX) | Q(status__contains=FINDING_PART)


class StackFilterSet(ResourceFilterSet):
    """`?stack=orders-sam&status=ROLLBACK_COMPLETE&finding=true&sam=true&drift=DRIFTED&q=orders`."""

    stack = InventoryChoiceFilter(field_name="name", label="Stack", search=True)
    status = InventoryChoiceFilter(field_name="status", label="Status")
    finding = StrictBooleanFilter(method="filter_finding", label="Failed or rolled back")
    sam = StrictBooleanFilter(field_name="is_sam", label="SAM")
    drift = df.MultipleChoiceFilter(field_name="drift_status", choices=DRIFT, label="Drift")
    protected = StrictBooleanFilter(field_name="termination_protection", label="Termination protection")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Stack
        fields: list[str] = []

    def filter_finding(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(finding_q()) if value else qs.exclude(finding_q())

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(qs, value, "name", "description", "status_reason", exact=("stack_id",))


class StackResourceFilterSet(ResourceFilterSet):
    """`?stack=orders-sam&type=AWS::Lambda::Function&drift=MODIFIED&physical_id=sg-0abc&q=Role`."""

    stack = InventoryChoiceFilter(field_name="stack_name", label="Stack", search=True)
    stack_id = CSVChoiceFilter(field_name="stack_id", label="Stack id")
    type = InventoryChoiceFilter(field_name="resource_type", label="Type", search=True)
    status = InventoryChoiceFilter(field_name="status", label="Status")
    drift = df.MultipleChoiceFilter(field_name="drift_status", choices=RESOURCE_DRIFT, label="Drift")
    physical_id = CSVChoiceFilter(field_name="physical_id", label="Physical id")
    in_inventory = StrictBooleanFilter(method="filter_in_inventory", label="A type fleetui inventories")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = StackResource
        fields: list[str] = []

    def filter_in_inventory(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(resource_type__in=list(LINKS)) if value else qs.exclude(resource_type__in=list(LINKS))

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(qs, value, "logical_id", "physical_id", "resource_type", "stack_name")


class EventFilterSet(ResourceFilterSet):
    """`?stack=orders-sam&status=CREATE_FAILED&q=SecurityGroup`."""

    stack = InventoryChoiceFilter(field_name="stack_name", label="Stack", search=True)
    stack_id = CSVChoiceFilter(field_name="stack_id", label="Stack id")
    status = InventoryChoiceFilter(field_name="status", label="Status")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = StackEvent
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(qs, value, "logical_id", "status_reason", "resource_type")
