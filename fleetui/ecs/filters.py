"""FilterSets of the ECS inventory: the pages, their CSV exports and the API filter through the same classes.

Like the EC2 ones (fleetui.core.filters): rows a sync no longer saw are hidden unless `?gone=true`; an invalid
value is a form error (a 400 in the API), never a 500. `launch_type` takes FARGATE, FARGATE_SPOT, EC2 or
EXTERNAL: a service on a capacity-provider strategy has no launch type, so FARGATE_SPOT (and FARGATE) also match
the providers of its strategy; a task names its provider itself.
"""

import django_filters as df
from django.db.models import F, Q, QuerySet

from fleetui.core.filters import InventoryChoiceFilter, ResourceFilterSet, StrictBooleanFilter

from .models import Cluster, ContainerInstance, Service, Task, TaskDefinition

LAUNCH_TYPES = [(value, value) for value in ("FARGATE", "FARGATE_SPOT", "EC2", "EXTERNAL")]
ROLLOUT_STATES = [(value, value) for value in ("IN_PROGRESS", "COMPLETED", "FAILED")]
COMPATIBILITIES = [(value, value) for value in ("EC2", "FARGATE", "EXTERNAL")]


def _words(qs: QuerySet, value: str, *fields: str) -> QuerySet:
    for word in value.split():
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": word})
        qs = qs.filter(match)
    return qs


class ClusterFilterSet(ResourceFilterSet):
    """`?status=ACTIVE&q=shop`."""

    status = InventoryChoiceFilter(field_name="status", label="Status")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Cluster
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _words(qs, value, "cluster_name", "cluster_arn")


def below_desired(qs: QuerySet) -> QuerySet:
    return qs.filter(running_count__lt=F("desired_count"))


def service_findings(qs: QuerySet) -> QuerySet:
    """Services that need a look: below their desired count, or whose PRIMARY rollout FAILED."""
    return qs.filter(Q(running_count__lt=F("desired_count")) | Q(rollout_state="FAILED"))


class ServiceFilterSet(ResourceFilterSet):
    """`?cluster=shop-prod&launch_type=FARGATE_SPOT&status=ACTIVE&rollout_state=FAILED&below_desired=true&finding=true`."""

    cluster = InventoryChoiceFilter(field_name="cluster_name", label="Cluster")
    launch_type = df.ChoiceFilter(choices=LAUNCH_TYPES, method="filter_launch_type", label="Launch type")
    status = InventoryChoiceFilter(field_name="status", label="Status")
    rollout_state = df.ChoiceFilter(choices=ROLLOUT_STATES, field_name="rollout_state", label="Rollout")
    below_desired = StrictBooleanFilter(method="filter_below_desired", label="Below desired count")
    finding = StrictBooleanFilter(method="filter_finding", label="Has a finding")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Service
        fields: list[str] = []

    def filter_launch_type(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        uses = Q(capacity_provider_strategy__contains=[{"capacityProvider": value}])
        if value == "FARGATE_SPOT":
            return qs.filter(uses)
        return qs.filter(Q(launch_type=value) | uses)

    def filter_below_desired(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return below_desired(qs) if value else qs.exclude(pk__in=below_desired(qs).values("pk"))

    def filter_finding(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return service_findings(qs) if value else qs.exclude(pk__in=service_findings(qs).values("pk"))

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _words(qs, value, "service_name", "cluster_name", "task_definition")


class TaskFilterSet(ResourceFilterSet):
    """`?cluster=shop-prod&service=web&launch_type=FARGATE_SPOT&last_status=RUNNING&container_instance=<arn>`."""

    cluster = InventoryChoiceFilter(field_name="cluster_name", label="Cluster")
    service = df.CharFilter(method="filter_service", label="Service")
    launch_type = df.ChoiceFilter(choices=LAUNCH_TYPES, method="filter_launch_type", label="Launch type")
    last_status = InventoryChoiceFilter(field_name="last_status", label="Last status")
    desired_status = InventoryChoiceFilter(field_name="desired_status", label="Desired status")
    container_instance = df.CharFilter(field_name="container_instance_arn", label="Container instance ARN")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Task
        fields: list[str] = []

    def filter_service(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(group__in=[f"service:{item.strip()}" for item in value.split(",") if item.strip()])

    def filter_launch_type(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == "FARGATE_SPOT":
            return qs.filter(capacity_provider_name="FARGATE_SPOT")
        if value == "FARGATE":
            return qs.filter(launch_type="FARGATE").exclude(capacity_provider_name="FARGATE_SPOT")
        return qs.filter(launch_type=value)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _words(qs, value, "task_arn", "group", "task_definition_arn")


class TaskDefinitionFilterSet(ResourceFilterSet):
    """`?family=storefront-web&status=ACTIVE&compatibility=FARGATE&q=nginx`."""

    family = InventoryChoiceFilter(field_name="family", label="Family", search=True)
    status = InventoryChoiceFilter(field_name="status", label="Status")
    compatibility = df.ChoiceFilter(choices=COMPATIBILITIES, method="filter_compatibility", label="Compatibility")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = TaskDefinition
        fields: list[str] = []

    def filter_compatibility(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(compatibilities__contains=[value])

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            qs = qs.filter(Q(family__icontains=word) | Q(containers__icontains=word))
        return qs


class ContainerInstanceFilterSet(ResourceFilterSet):
    """`?cluster=shop-prod&status=ACTIVE&q=i-0abc`."""

    cluster = InventoryChoiceFilter(field_name="cluster_name", label="Cluster")
    status = InventoryChoiceFilter(field_name="status", label="Status")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = ContainerInstance
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _words(qs, value, "ec2_instance_id", "container_instance_arn", "instance_type")
