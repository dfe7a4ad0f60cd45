"""The ECS inventory in the read-only REST API (/api/v1/ecs/...), read through the pages' selectors.

Same rules as fleetui.core.api (InventoryViewSet): token or session, any role; GET only; an invalid filter is a
400 naming the field. Every list filters by `account`, `region`, `cluster` (names) and its own fields.
"""

from fleetui.core.api import InventoryViewSet

from . import selectors
from . import serializers as s


class ClusterViewSet(InventoryViewSet):
    """ECS clusters with their counts. Filters: `status`, `q` and the common ones."""

    selector = selectors.cluster_list
    serializer_class = s.ClusterSerializer
    ordering_fields = ["cluster_name", "region", "running_tasks_count", "active_services_count"]
    ordering = ["cluster_name", "id"]


class ServiceViewSet(InventoryViewSet):
    """ECS services. Filters: `cluster`, `launch_type` (FARGATE, FARGATE_SPOT, EC2, EXTERNAL), `status`,
    `rollout_state`, `below_desired`, `finding`, `q`."""

    selector = selectors.service_list
    serializer_class = s.ServiceSerializer
    ordering_fields = ["service_name", "cluster_name", "region", "desired_count", "running_count", "created_at"]
    ordering = ["cluster_name", "service_name", "id"]


class TaskViewSet(InventoryViewSet):
    """ECS tasks. Filters: `cluster`, `service`, `launch_type`, `last_status`, `desired_status`,
    `container_instance`, `q`."""

    selector = selectors.task_list
    serializer_class = s.TaskSerializer
    ordering_fields = ["cluster_name", "group", "last_status", "started_at", "region"]
    ordering = ["cluster_name", "group", "-started_at", "id"]


class TaskDefinitionViewSet(InventoryViewSet):
    """Task definitions (the newest ACTIVE revisions of each family). Filters: `family`, `status`,
    `compatibility`, `q`."""

    selector = selectors.task_definition_list
    serializer_class = s.TaskDefinitionSerializer
    ordering_fields = ["family", "revision", "region", "registered_at"]
    ordering = ["family", "-revision", "id"]


class ContainerInstanceViewSet(InventoryViewSet):
    """Container instances with their EC2 instance ids. Filters: `cluster`, `status`, `q`."""

    selector = selectors.container_instance_list
    serializer_class = s.ContainerInstanceSerializer
    ordering_fields = ["cluster_name", "ec2_instance_id", "region", "running_tasks_count", "registered_at"]
    ordering = ["cluster_name", "ec2_instance_id", "id"]


ROUTES = [
    ("ecs/clusters", ClusterViewSet, "ecscluster"),
    ("ecs/services", ServiceViewSet, "ecsservice"),
    ("ecs/tasks", TaskViewSet, "ecstask"),
    ("ecs/task-definitions", TaskDefinitionViewSet, "ecstaskdefinition"),
    ("ecs/container-instances", ContainerInstanceViewSet, "ecscontainerinstance"),
]
