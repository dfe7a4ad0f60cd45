"""ECS's resource types for the sync engine (fleetui.inventory.sync collects `SYNCS`), in the order a sync runs them.

Services, tasks and container instances are read per cluster (`parent="ecs_clusters"`): their fetchers get the
cluster ARNs the inventory holds, so clusters come first. Task definitions are the account's own, per region.
"""

from fleetui.aws import ecs
from fleetui.inventory.sync import ResourceSync

from . import transforms
from .models import Cluster, ContainerInstance, Service, Task, TaskDefinition

SYNCS = {
    "ecs_clusters": ResourceSync(ecs.cluster_pages, transforms.cluster_fields, Cluster, Cluster.KEY),
    "ecs_task_definitions": ResourceSync(
        ecs.task_definition_pages, transforms.task_definition_fields, TaskDefinition, TaskDefinition.KEY
    ),
    "ecs_container_instances": ResourceSync(
        ecs.container_instance_pages,
        transforms.container_instance_fields,
        ContainerInstance,
        ContainerInstance.KEY,
        parent="ecs_clusters",
    ),
    "ecs_services": ResourceSync(
        ecs.service_pages, transforms.service_fields, Service, Service.KEY, parent="ecs_clusters"
    ),
    "ecs_tasks": ResourceSync(ecs.task_pages, transforms.task_fields, Task, Task.KEY, parent="ecs_clusters"),
}
