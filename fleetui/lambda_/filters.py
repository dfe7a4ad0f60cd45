"""FilterSets of the Lambda inventory: the pages, their CSV exports and the API filter through the same classes.

Like every service's (fleetui.core.filters): rows a sync no longer saw are hidden unless `?gone=true`, and an
invalid value is a form error (a 400 in the API), never a 500. Each finding is a `?finding=` value; the overview
panel counts the same conditions (FINDING_QS).
"""

import django_filters as df
from django.db.models import Exists, OuterRef, Q, QuerySet

from fleetui.core.filters import InventoryChoiceFilter, ResourceFilterSet, StrictBooleanFilter, words_match
from fleetui.core.menu import NOT_OWNED, owned_by

from .models import NEAR_MEMORY_MB, NEAR_TIMEOUT_S, EventSourceMapping, Function
from .runtimes import deprecated_runtimes

FUNCTIONS = "lambda_functions"  # this app's sync type for functions (other apps' OWNERS name it)
NEAR_TIMEOUT = "near_timeout"
NEAR_MEMORY = "near_memory"
DEPRECATED_RUNTIME = "deprecated_runtime"
UNREFERENCED = "unreferenced"
FINDINGS = [
    (NEAR_TIMEOUT, f"Timeout of {NEAR_TIMEOUT_S} s or more (of 900)"),
    (NEAR_MEMORY, f"Memory of {NEAR_MEMORY_MB:,} MB or more (of 10,240)"),
    (DEPRECATED_RUNTIME, "Deprecated runtime"),
    (UNREFERENCED, "Unreferenced: no event source mapping, API or stack"),
]


def near_timeout_q() -> Q:
    return Q(timeout_s__gte=NEAR_TIMEOUT_S)


def near_memory_q() -> Q:
    return Q(memory_mb__gte=NEAR_MEMORY_MB)


def deprecated_runtime_q() -> Q:
    """A runtime whose AWS deprecation date has passed (fleetui.lambda_.runtimes)."""
    return Q(runtime__in=deprecated_runtimes())


def referenced_by_mapping_q() -> Q:
    """A live event source mapping of the same scope invokes the function (by name: a mapping may name a version
    or an alias of it)."""
    mappings = EventSourceMapping.objects.filter(
        account=OuterRef("account"), region=OuterRef("region"), function_name=OuterRef("function_name"),
        gone_at__isnull=True,
    )  # fmt: skip
    return Q(Exists(mappings))


def unreferenced_q() -> Q:
    """Live, invoked by no live event source mapping, and claimed by no other app (an API Gateway integration, a
    CloudFormation stack: their navigation.OWNERS of "lambda_functions")."""
    return Q(gone_at__isnull=True) & ~referenced_by_mapping_q() & owned_by(Function, FUNCTIONS, NOT_OWNED)


FINDING_QS = {
    NEAR_TIMEOUT: near_timeout_q,
    NEAR_MEMORY: near_memory_q,
    DEPRECATED_RUNTIME: deprecated_runtime_q,
    UNREFERENCED: unreferenced_q,
}


class FunctionFilterSet(ResourceFilterSet):
    """`?runtime=python3.12,nodejs20.x&architecture=arm64&vpc=true&finding=near_timeout&q=orders`."""

    runtime = InventoryChoiceFilter(field_name="runtime", label="Runtime")
    architecture = df.MultipleChoiceFilter(
        field_name="architecture", choices=[("x86_64", "x86_64"), ("arm64", "arm64")], label="Architecture"
    )
    vpc = StrictBooleanFilter(method="filter_vpc", label="In a VPC")
    finding = df.MultipleChoiceFilter(choices=FINDINGS, method="filter_finding", label="Finding")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Function
        fields: list[str] = []

    def filter_vpc(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.exclude(vpc_id="") if value else qs.filter(vpc_id="")

    def filter_finding(self, qs: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return qs
        found = Q(pk=None)
        for finding in value:
            found |= FINDING_QS[finding]()
        return qs.filter(found)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(qs, value, "function_name", "description", "runtime", "handler", "role")


class EventSourceMappingFilterSet(ResourceFilterSet):
    """`?function=queue-worker&source_type=sqs&state=Enabled&q=orders`."""

    function = InventoryChoiceFilter(field_name="function_name", label="Function", search=True)
    source_type = InventoryChoiceFilter(field_name="source_type", label="Source type")
    state = InventoryChoiceFilter(field_name="state", label="State")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = EventSourceMapping
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(qs, value, "function_name", "source_name", "event_source_arn", exact=("uuid",))
