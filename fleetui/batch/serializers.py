"""Read-only serializers of the AWS Batch inventory for the REST API (like fleetui.core.serializers: the 12-digit
`account_id`, not our row id; querysets select the account). Class names are the OpenAPI component names, global
to the schema: each is named after its model with the Batch prefix where another service has the word."""

from collections.abc import Callable
from typing import Any

from rest_framework import serializers

from fleetui.core.fields import RESOURCE, api_fields
from fleetui.core.fields import Field as F
from fleetui.core.serializers import ResourceSerializer

from .models import JOB_STATUSES, ComputeEnvironment, Job, JobDefinition, JobQueue


def _order(queue: Any) -> str:
    return " ".join(entry["name"] for entry in queue.compute_environment_order)


def _counter(status: str) -> Callable[[Any], int]:
    return lambda queue: int(queue.count(status))


# What scripts see of each resource (fleetui.core.fields): the CSV columns, in this order, and the API fields.
COMPUTE_ENVIRONMENT_FIELDS = [
    *RESOURCE,
    *map(F, ["name", "compute_environment_arn", "type", "resource_type", "state", "status", "status_reason"]),
    *map(F, ["min_vcpus", "desired_vcpus", "max_vcpus"]),
    F("instance_types", lambda env: " ".join(env.instance_types)),
    *map(F, ["allocation_strategy", "bid_percentage", "ecs_cluster_arn"]),
    F("service_role", csv=False),
    F("subnets", csv=False),
]
JOB_QUEUE_FIELDS = [
    *RESOURCE,
    *map(F, ["name", "job_queue_arn", "priority", "state", "status", "status_reason"]),
    F("compute_environment_order", csv=False),
    F("compute_environments", _order, api=False),
    F("scheduling_policy_arn", csv=False),
    F("job_counts", csv=False),
    *(F(f"jobs_{status.lower()}", _counter(status), api=False) for status in JOB_STATUSES),
]
JOB_DEFINITION_FIELDS = [
    *RESOURCE,
    *map(F, ["name", "revision", "job_definition_arn", "status", "type"]),
    F("platform_capabilities", lambda jd: " ".join(jd.platform_capabilities)),
    *map(F, ["image", "vcpus", "memory_mib", "retry_attempts", "timeout_seconds"]),
]
JOB_FIELDS = [
    *RESOURCE,
    *map(F, ["job_id", "name", "job_queue_name", "status", "status_reason", "job_definition_name", "exit_code"]),
    *map(F, ["job_queue_arn", "job_arn", "job_definition_arn"]),
    *map(F, ["attempts", "array_size"]),
    F("depends_on", csv=False),
    *map(F, ["created_at", "started_at", "stopped_at"]),
]


def _strings(help_text: str = "") -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), read_only=True, help_text=help_text)


class OrderSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    compute_environment_arn = serializers.CharField()
    name = serializers.CharField()


class ComputeEnvironmentSerializer(ResourceSerializer):
    instance_types = _strings("Types or families; `optimal` lets Batch choose")
    subnets = _strings()

    class Meta:
        model = ComputeEnvironment
        fields = api_fields(COMPUTE_ENVIRONMENT_FIELDS)


class JobQueueSerializer(ResourceSerializer):
    compute_environment_order = OrderSerializer(many=True, read_only=True)
    job_counts = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text="{status: jobs}, AWS's counts at the last sync"
    )

    class Meta:
        model = JobQueue
        fields = api_fields(JOB_QUEUE_FIELDS)


class JobDefinitionSerializer(ResourceSerializer):
    platform_capabilities = _strings("EC2, FARGATE; none means EC2")

    class Meta:
        model = JobDefinition
        fields = api_fields(JOB_DEFINITION_FIELDS)


class BatchJobSerializer(ResourceSerializer):
    depends_on = _strings("The ids of the jobs it waits for")

    class Meta:
        model = Job
        fields = api_fields(JOB_FIELDS)
