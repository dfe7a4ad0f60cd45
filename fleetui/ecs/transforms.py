"""Pure transforms: one ECS API item (boto3's dict) -> the field values of its inventory model.

Like every service's transforms, each returns exactly the model's synced fields, normalised to what the database
gives back ("" rather than None, datetimes as aware UTC, JSON that round-trips: timestamps inside JSON as ISO
strings), so an unchanged re-sync writes nothing. ECS tags are `[{"key", "value"}]` (lower case, unlike EC2's).
Items read per cluster carry their cluster's ARN under the query's PARENT_KEY (a container instance's
description does not name its cluster).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fleetui.aws.query import PARENT_KEY
from fleetui.inventory.sync.values import when


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _iso(value: Any) -> str:
    moment = when(value) if isinstance(value, (str, datetime)) else None
    return moment.isoformat() if moment else ""


def ecs_tags(items: list[dict[str, str]] | None) -> dict[str, str]:
    return {item["key"]: item.get("value", "") for item in items or [] if "key" in item}


def cluster_name_of(cluster_arn: str) -> str:
    return cluster_arn.rsplit("/", 1)[-1] if cluster_arn else ""


def strategy_of(items: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """A capacity-provider strategy as [{"capacityProvider", "weight", "base"}] in AWS's order (it matters: base)."""
    return [
        {"capacityProvider": _text(item.get("capacityProvider")), "weight": item.get("weight") or 0,
         "base": item.get("base") or 0}
        for item in items or []
    ]  # fmt: skip


def _name_values(items: list[dict[str, Any]] | None) -> dict[str, str]:
    return {_text(item.get("name")): _text(item.get("value")) for item in items or [] if item.get("name")}


def cluster_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeClusters item -> Cluster fields."""
    return {
        "cluster_arn": raw["clusterArn"],
        "cluster_name": _text(raw.get("clusterName")) or cluster_name_of(raw["clusterArn"]),
        "status": _text(raw.get("status")),
        "capacity_providers": sorted(raw.get("capacityProviders") or []),
        "default_strategy": strategy_of(raw.get("defaultCapacityProviderStrategy")),
        "active_services_count": raw.get("activeServicesCount") or 0,
        "running_tasks_count": raw.get("runningTasksCount") or 0,
        "pending_tasks_count": raw.get("pendingTasksCount") or 0,
        "container_instances_count": raw.get("registeredContainerInstancesCount") or 0,
        "settings": _name_values(raw.get("settings")),
        "statistics": _name_values(raw.get("statistics")),
        "tags": ecs_tags(raw.get("tags")),
    }


def _container(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": _text(raw.get("name")),
        "image": _text(raw.get("image")),
        "cpu": raw.get("cpu") or 0,
        "memory": raw.get("memory") or raw.get("memoryReservation") or 0,
        "essential": bool(raw.get("essential", True)),
    }


def task_definition_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeTaskDefinition's taskDefinition (with the call's "tags") -> TaskDefinition fields."""
    return {
        "task_definition_arn": raw["taskDefinitionArn"],
        "family": _text(raw.get("family")),
        "revision": int(raw.get("revision") or 0),
        "status": _text(raw.get("status")),
        "cpu": _text(raw.get("cpu")),
        "memory": _text(raw.get("memory")),
        "network_mode": _text(raw.get("networkMode")),
        "compatibilities": sorted(raw.get("compatibilities") or []),
        "requires_compatibilities": sorted(raw.get("requiresCompatibilities") or []),
        "containers": [_container(item) for item in raw.get("containerDefinitions") or []],
        "task_role_arn": _text(raw.get("taskRoleArn")),
        "execution_role_arn": _text(raw.get("executionRoleArn")),
        "registered_at": when(raw.get("registeredAt")),
        "tags": ecs_tags(raw.get("tags")),
    }


def _resource(items: list[dict[str, Any]] | None, name: str) -> int:
    for item in items or []:
        if item.get("name") == name:
            return int(item.get("integerValue") or 0)
    return 0


def container_instance_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeContainerInstances item (with its cluster's ARN under PARENT_KEY) -> ContainerInstance fields."""
    cluster_arn = _text(raw.get(PARENT_KEY))
    attributes = _name_values(raw.get("attributes"))
    registered, remaining = raw.get("registeredResources"), raw.get("remainingResources")
    return {
        "container_instance_arn": raw["containerInstanceArn"],
        "cluster_arn": cluster_arn,
        "cluster_name": cluster_name_of(cluster_arn),
        "ec2_instance_id": _text(raw.get("ec2InstanceId")),
        "status": _text(raw.get("status")),
        "agent_connected": bool(raw.get("agentConnected")),
        "running_tasks_count": raw.get("runningTasksCount") or 0,
        "pending_tasks_count": raw.get("pendingTasksCount") or 0,
        "instance_type": attributes.get("ecs.instance-type", ""),
        "availability_zone": attributes.get("ecs.availability-zone", ""),
        "capacity_provider_name": _text(raw.get("capacityProviderName")),
        "cpu_registered": _resource(registered, "CPU"),
        "cpu_remaining": _resource(remaining, "CPU"),
        "memory_registered": _resource(registered, "MEMORY"),
        "memory_remaining": _resource(remaining, "MEMORY"),
        "agent_version": _text((raw.get("versionInfo") or {}).get("agentVersion")),
        "registered_at": when(raw.get("registeredAt")),
        "tags": ecs_tags(raw.get("tags")),
    }


def deployment_of(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": _text(raw.get("id")),
        "status": _text(raw.get("status")),
        "taskDefinition": _text(raw.get("taskDefinition")),
        "desiredCount": raw.get("desiredCount") or 0,
        "runningCount": raw.get("runningCount") or 0,
        "pendingCount": raw.get("pendingCount") or 0,
        "failedTasks": raw.get("failedTasks") or 0,
        "rolloutState": _text(raw.get("rolloutState")),
        "rolloutStateReason": _text(raw.get("rolloutStateReason")),
        "createdAt": _iso(raw.get("createdAt")),
        "updatedAt": _iso(raw.get("updatedAt")),
    }


def _deployments(items: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """PRIMARY first, then the others newest first (AWS's order is not guaranteed)."""
    found = [deployment_of(item) for item in items or []]
    primary = [d for d in found if d["status"] == "PRIMARY"]
    others = sorted((d for d in found if d["status"] != "PRIMARY"), key=lambda d: (d["createdAt"], d["id"]))
    return primary + others[::-1]


def load_balancer_of(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "targetGroupArn": _text(raw.get("targetGroupArn")),
        "loadBalancerName": _text(raw.get("loadBalancerName")),
        "containerName": _text(raw.get("containerName")),
        "containerPort": raw.get("containerPort") or 0,
    }


def network_of(raw: dict[str, Any] | None) -> dict[str, Any]:
    vpc = (raw or {}).get("awsvpcConfiguration")
    if not vpc:
        return {}
    return {
        "subnets": sorted(vpc.get("subnets") or []),
        "securityGroups": sorted(vpc.get("securityGroups") or []),
        "assignPublicIp": _text(vpc.get("assignPublicIp")) or "DISABLED",
    }


def events_of(items: list[dict[str, Any]] | None, keep: int) -> list[dict[str, Any]]:
    found = [
        {"id": _text(item.get("id")), "createdAt": _iso(item.get("createdAt")), "message": _text(item.get("message"))}
        for item in items or []
    ]
    found.sort(key=lambda event: event["createdAt"], reverse=True)  # stable: AWS's newest-first order for ties
    return found[:keep]


def service_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeServices item -> Service fields. `launch_type` is "" when a capacity-provider strategy is used;
    `rollout_state` is the PRIMARY deployment's."""
    from .models import Service  # the events kept; models import nothing from here

    cluster_arn = _text(raw.get("clusterArn")) or _text(raw.get(PARENT_KEY))
    deployments = _deployments(raw.get("deployments"))
    primary = next((d for d in deployments if d["status"] == "PRIMARY"), None)
    strategy = strategy_of(raw.get("capacityProviderStrategy"))
    return {
        "service_arn": raw["serviceArn"],
        "cluster_arn": cluster_arn,
        "cluster_name": cluster_name_of(cluster_arn),
        "service_name": _text(raw.get("serviceName")),
        "status": _text(raw.get("status")),
        "launch_type": "" if strategy else _text(raw.get("launchType")),
        "capacity_provider_strategy": strategy,
        "platform_version": _text(raw.get("platformVersion")),
        "desired_count": raw.get("desiredCount") or 0,
        "running_count": raw.get("runningCount") or 0,
        "pending_count": raw.get("pendingCount") or 0,
        "task_definition": _text(raw.get("taskDefinition")),
        "deployments": deployments,
        "rollout_state": primary["rolloutState"] if primary else "",
        "load_balancers": sorted(
            (load_balancer_of(item) for item in raw.get("loadBalancers") or []),
            key=lambda lb: (lb["targetGroupArn"], lb["loadBalancerName"], lb["containerName"], lb["containerPort"]),
        ),
        "network_configuration": network_of(raw.get("networkConfiguration")),
        "scheduling_strategy": _text(raw.get("schedulingStrategy")),
        "events": events_of(raw.get("events"), Service.EVENTS_KEPT),
        "created_at": when(raw.get("createdAt")),
        "tags": ecs_tags(raw.get("tags")),
    }


def task_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeTasks item -> Task fields."""
    cluster_arn = _text(raw.get("clusterArn")) or _text(raw.get(PARENT_KEY))
    return {
        "task_arn": raw["taskArn"],
        "cluster_arn": cluster_arn,
        "cluster_name": cluster_name_of(cluster_arn),
        "task_definition_arn": _text(raw.get("taskDefinitionArn")),
        "group": _text(raw.get("group")),
        "started_by": _text(raw.get("startedBy")),
        "last_status": _text(raw.get("lastStatus")),
        "desired_status": _text(raw.get("desiredStatus")),
        "launch_type": _text(raw.get("launchType")),
        "capacity_provider_name": _text(raw.get("capacityProviderName")),
        "container_instance_arn": _text(raw.get("containerInstanceArn")),
        "cpu": _text(raw.get("cpu")),
        "memory": _text(raw.get("memory")),
        "availability_zone": _text(raw.get("availabilityZone")),
        "health_status": _text(raw.get("healthStatus")),
        "stopped_reason": _text(raw.get("stoppedReason")),
        "created_at": when(raw.get("createdAt")),
        "started_at": when(raw.get("startedAt")),
        "stopped_at": when(raw.get("stoppedAt")),
        "tags": ecs_tags(raw.get("tags")),
    }
