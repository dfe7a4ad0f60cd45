"""FilterSets of the AWS Batch inventory: the pages, their CSV exports and the API filter through the same classes.

Like every service's (fleetui.core.filters): rows a sync no longer saw are hidden unless `?gone=true`, and an
invalid value (a status AWS does not have) is a form error, a 400 in the API, never a 500.
"""

import django_filters as df
from django.db.models import Q, QuerySet

from fleetui.core.filters import CSVChoiceFilter, InventoryChoiceFilter, ResourceFilterSet, StrictBooleanFilter

from .models import JOB_STATUSES, ComputeEnvironment, Job, JobDefinition, JobQueue

STATE_CHOICES = [("ENABLED", "Enabled"), ("DISABLED", "Disabled")]
# CREATING, UPDATING, DELETING, DELETED, VALID, INVALID: the same for environments and queues.
STATUS_CHOICES = [(s, s.title()) for s in ("CREATING", "UPDATING", "DELETING", "DELETED", "VALID", "INVALID")]
JOB_STATUS_CHOICES = [(s, s.title()) for s in JOB_STATUSES]


def _words(qs: QuerySet, value: str, *fields: str) -> QuerySet:
    for word in value.split():
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        qs = qs.filter(match)
    return qs


class ComputeEnvironmentFilterSet(ResourceFilterSet):
    """`?type=MANAGED&resource_type=SPOT&state=ENABLED&status=VALID&queue=default&finding=true&q=etl`."""

    type = InventoryChoiceFilter(field_name="type", choices=ComputeEnvironment.Type.choices, label="Type")
    resource_type = InventoryChoiceFilter(
        field_name="resource_type", choices=ComputeEnvironment.ResourceType.choices, label="Resource type"
    )
    state = InventoryChoiceFilter(field_name="state", choices=STATE_CHOICES, label="State")
    status = InventoryChoiceFilter(field_name="status", choices=STATUS_CHOICES, label="Status")
    queue = CSVChoiceFilter(method="filter_queue", label="Used by queue")
    finding = StrictBooleanFilter(method="filter_finding", label="Finding (INVALID or DISABLED)")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = ComputeEnvironment
        fields: list[str] = []

    def filter_queue(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        names = [v.strip() for v in value.split(",") if v.strip()]
        if not names:
            return qs
        orders = JobQueue.objects.filter(name__in=names, gone_at__isnull=True).values_list(
            "compute_environment_order", flat=True
        )
        arns = {entry["compute_environment_arn"] for order in orders for entry in order}
        return qs.filter(compute_environment_arn__in=arns)

    def filter_finding(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        finding = Q(status="INVALID") | Q(state="DISABLED")
        return qs.filter(finding) if value else qs.exclude(finding)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _words(qs, value, "name", "instance_types", "allocation_strategy", "ecs_cluster_arn")


class JobQueueFilterSet(ResourceFilterSet):
    """`?state=ENABLED&status=VALID&compute_environment=etl-spot&q=prio`."""

    state = InventoryChoiceFilter(field_name="state", choices=STATE_CHOICES, label="State")
    status = InventoryChoiceFilter(field_name="status", choices=STATUS_CHOICES, label="Status")
    compute_environment = df.CharFilter(method="filter_environment", label="Uses compute environment")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = JobQueue
        fields: list[str] = []

    def filter_environment(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(compute_environment_order__contains=[{"name": value.strip()}])

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _words(qs, value, "name", "compute_environment_order")


class JobDefinitionFilterSet(ResourceFilterSet):
    """`?type=container&platform=FARGATE&q=etl`."""

    type = InventoryChoiceFilter(
        field_name="type", choices=[("container", "Container"), ("multinode", "Multi-node")], label="Type"
    )
    platform = df.ChoiceFilter(
        method="filter_platform", choices=[("EC2", "EC2"), ("FARGATE", "Fargate")], label="Platform"
    )
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = JobDefinition
        fields: list[str] = []

    def filter_platform(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        if value == "EC2":  # no platformCapabilities means EC2
            return qs.filter(Q(platform_capabilities__contains=["EC2"]) | Q(platform_capabilities=[]))
        return qs.filter(platform_capabilities__contains=[value])

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _words(qs, value, "name", "image")


class JobFilterSet(ResourceFilterSet):
    """`?queue=default,high-priority&status=RUNNABLE,RUNNING&active=true&definition=nightly-etl&q=backfill`."""

    queue = InventoryChoiceFilter(field_name="job_queue_name", label="Queue")
    status = InventoryChoiceFilter(field_name="status", choices=JOB_STATUS_CHOICES, label="Status")
    active = StrictBooleanFilter(method="filter_active", label="Not finished")
    definition = InventoryChoiceFilter(field_name="job_definition_name", label="Job definition", search=True)
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Job
        fields: list[str] = []

    def filter_active(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        finished = Q(status__in=("SUCCEEDED", "FAILED"))
        return qs.exclude(finished) if value else qs.filter(finished)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return _words(qs, value, "name", "job_id", "status_reason")
