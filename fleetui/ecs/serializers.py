"""Read-only serializers of the ECS inventory for the REST API, and the CSV columns (fleetui.core.fields): one list
of fields per resource. JSON-heavy fields (deployments, events, strategies, network configuration) are the API's
only; the CSV flattens what a spreadsheet needs."""

from rest_framework import serializers

from fleetui.core.fields import RESOURCE, api_fields
from fleetui.core.fields import Field as F
from fleetui.core.serializers import ResourceSerializer

from .models import Cluster, ContainerInstance, Service, Task, TaskDefinition


def _providers(items: list[dict]) -> str:
    return " ".join(f"{item['capacityProvider']}:{item['weight']}" for item in items)


CLUSTER_FIELDS = [
    *RESOURCE,
    *map(F, ["cluster_name", "cluster_arn", "status"]),
    F("capacity_providers", csv=False),
    F("default_strategy", csv=False),
    F("providers", lambda c: " ".join(c.capacity_providers), api=False),
    F("default_strategy_text", lambda c: _providers(c.default_strategy), api=False),
    *map(F, ["active_services_count", "running_tasks_count", "pending_tasks_count", "container_instances_count"]),
    F("settings", csv=False),
]
SERVICE_FIELDS = [
    *RESOURCE,
    *map(F, ["cluster_name", "service_name", "service_arn", "status", "launch_type"]),
    F("capacity_provider_strategy", csv=False),
    F("strategy", lambda s: _providers(s.capacity_provider_strategy), api=False),
    *map(F, ["desired_count", "running_count", "pending_count", "below_desired", "rollout_state"]),
    *map(F, ["task_definition", "scheduling_strategy", "platform_version", "created_at"]),
    F("cluster_arn", csv=False),
    F("deployments", csv=False),
    F("load_balancers", csv=False),
    F("network_configuration", csv=False),
    F("events", csv=False),
]
TASK_FIELDS = [
    *RESOURCE,
    *map(F, ["cluster_name", "task_arn", "group", "last_status", "desired_status", "launch_type"]),
    *map(F, ["capacity_provider_name", "cpu", "memory", "container_instance_arn", "ec2_instance_id"]),
    *map(F, ["task_definition_arn", "availability_zone", "started_by", "stopped_reason"]),
    *map(F, ["created_at", "started_at", "stopped_at"]),
    F("cluster_arn", csv=False),
]
TASK_DEFINITION_FIELDS = [
    *RESOURCE,
    *map(F, ["task_definition_arn", "family", "revision", "status", "cpu", "memory", "network_mode"]),
    F("compatibilities", csv=False),
    F("requires_compatibilities", csv=False),
    F("compatibilities_text", lambda d: " ".join(d.compatibilities), api=False),
    F("containers", csv=False),
    F("images", lambda d: " ".join(d.images), api=False),
    *map(F, ["task_role_arn", "execution_role_arn", "registered_at"]),
]
CONTAINER_INSTANCE_FIELDS = [
    *RESOURCE,
    *map(F, ["cluster_name", "container_instance_arn", "ec2_instance_id", "status", "agent_connected"]),
    *map(F, ["running_tasks_count", "pending_tasks_count", "instance_type", "availability_zone"]),
    *map(F, ["capacity_provider_name", "cpu_registered", "cpu_remaining", "memory_registered", "memory_remaining"]),
    *map(F, ["agent_version", "registered_at"]),
    F("cluster_arn", csv=False),
]


class ClusterSerializer(ResourceSerializer):
    class Meta:
        model = Cluster
        fields = api_fields(CLUSTER_FIELDS)


class ServiceSerializer(ResourceSerializer):
    below_desired = serializers.BooleanField(read_only=True, help_text="Running count below the desired count")

    class Meta:
        model = Service
        fields = api_fields(SERVICE_FIELDS)


class TaskSerializer(ResourceSerializer):
    ec2_instance_id = serializers.CharField(
        read_only=True, allow_null=True, help_text="The EC2 instance behind its container instance (EC2 launch type)"
    )

    class Meta:
        model = Task
        fields = api_fields(TASK_FIELDS)


class TaskDefinitionSerializer(ResourceSerializer):
    class Meta:
        model = TaskDefinition
        fields = api_fields(TASK_DEFINITION_FIELDS)


class ContainerInstanceSerializer(ResourceSerializer):
    class Meta:
        model = ContainerInstance
        fields = api_fields(CONTAINER_INSTANCE_FIELDS)
