"""ECS transforms on API-shaped payloads: the fields, the normalisation an unchanged re-sync relies on."""

import copy
from datetime import UTC, datetime

from fleetui.aws.query import PARENT_KEY
from fleetui.ecs import transforms as t

JAN_1 = datetime(2026, 1, 1, tzinfo=UTC)
CLUSTER = "arn:aws:ecs:us-east-1:123456789012:cluster/shop-prod"
SERVICE = {
    "serviceArn": "arn:aws:ecs:us-east-1:123456789012:service/shop-prod/image-resizer",
    "serviceName": "image-resizer",
    "clusterArn": CLUSTER,
    "status": "ACTIVE",
    "desiredCount": 4,
    "runningCount": 3,
    "pendingCount": 1,
    "capacityProviderStrategy": [
        {"capacityProvider": "FARGATE", "weight": 1, "base": 1},
        {"capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 0},
    ],
    "taskDefinition": "arn:aws:ecs:us-east-1:123456789012:task-definition/image-resizer:7",
    "deployments": [
        {"id": "ecs-svc/1", "status": "ACTIVE", "rolloutState": "COMPLETED", "createdAt": JAN_1},
        {"id": "ecs-svc/2", "status": "PRIMARY", "rolloutState": "IN_PROGRESS", "desiredCount": 4, "runningCount": 1,
         "createdAt": datetime(2026, 1, 2, tzinfo=UTC), "taskDefinition": "arn:...:task-definition/image-resizer:7"},
    ],
    "events": [
        {"id": "b", "createdAt": datetime(2026, 1, 2, 0, 1, tzinfo=UTC), "message": "(service x) has started 3 tasks."},
        {"id": "a", "createdAt": "2026-01-02T00:02:00Z", "message": "(service x) has reached a steady state."},
    ],
    "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-b", "subnet-a"], "securityGroups": ["sg-1"]}},
    "loadBalancers": [],
    "schedulingStrategy": "REPLICA",
    "createdAt": "2026-01-01T00:00:00Z",
    "tags": [{"key": "Service", "value": "image-resizer"}],
}  # fmt: skip


def test_service_fields_with_a_strategy():
    fields = t.service_fields(SERVICE)
    assert fields["launch_type"] == ""  # a strategy, not a launch type
    assert [item["capacityProvider"] for item in fields["capacity_provider_strategy"]] == ["FARGATE", "FARGATE_SPOT"]
    assert fields["rollout_state"] == "IN_PROGRESS"  # the PRIMARY deployment's, whatever AWS's order
    assert [d["id"] for d in fields["deployments"]] == ["ecs-svc/2", "ecs-svc/1"]
    assert fields["deployments"][0]["createdAt"] == "2026-01-02T00:00:00+00:00"
    assert fields["events"][0]["message"].endswith("has reached a steady state.")
    assert fields["network_configuration"] == {
        "subnets": ["subnet-a", "subnet-b"], "securityGroups": ["sg-1"], "assignPublicIp": "DISABLED"
    }  # fmt: skip
    assert fields["cluster_name"] == "shop-prod" and fields["tags"] == {"Service": "image-resizer"}
    assert fields["created_at"] == datetime(2026, 1, 1, tzinfo=UTC)


def test_an_unchanged_item_gives_identical_fields():
    shuffled = copy.deepcopy(SERVICE)
    shuffled["deployments"].reverse()
    shuffled["networkConfiguration"]["awsvpcConfiguration"]["subnets"].reverse()
    assert t.service_fields(shuffled) == t.service_fields(SERVICE)


def test_launch_type_service_and_no_deployments():
    fields = t.service_fields({"serviceArn": "arn:aws:ecs:r:1:service/c/s", PARENT_KEY: CLUSTER, "launchType": "EC2"})
    assert (fields["launch_type"], fields["rollout_state"], fields["cluster_name"]) == ("EC2", "", "shop-prod")
    assert fields["network_configuration"] == {} and fields["events"] == []


def test_cluster_fields():
    raw = {
        "clusterArn": CLUSTER, "clusterName": "shop-prod", "status": "ACTIVE",
        "capacityProviders": ["FARGATE_SPOT", "FARGATE"], "registeredContainerInstancesCount": 3,
        "runningTasksCount": 13, "pendingTasksCount": 1, "activeServicesCount": 5,
        "defaultCapacityProviderStrategy": [{"capacityProvider": "FARGATE", "weight": 1}],
        "settings": [{"name": "containerInsights", "value": "enabled"}], "tags": [{"key": "Env", "value": "prod"}],
    }  # fmt: skip
    fields = t.cluster_fields(raw)
    assert fields["capacity_providers"] == ["FARGATE", "FARGATE_SPOT"]
    assert fields["default_strategy"] == [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}]
    assert (fields["container_instances_count"], fields["running_tasks_count"]) == (3, 13)
    assert fields["settings"] == {"containerInsights": "enabled"} and fields["tags"] == {"Env": "prod"}


def test_task_and_container_instance_fields():
    task = t.task_fields({
        "taskArn": "arn:aws:ecs:us-east-1:1:task/shop-prod/abc", "clusterArn": CLUSTER, "group": "service:web",
        "lastStatus": "RUNNING", "desiredStatus": "STOPPED", "launchType": "FARGATE",
        "capacityProviderName": "FARGATE_SPOT", "cpu": "256", "memory": "512", "startedAt": "2026-01-01T00:00:00Z",
    })  # fmt: skip
    assert task["cluster_name"] == "shop-prod" and task["container_instance_arn"] == ""
    assert task["started_at"] == datetime(2026, 1, 1, tzinfo=UTC) and task["stopped_at"] is None
    host = t.container_instance_fields({
        "containerInstanceArn": "arn:aws:ecs:us-east-1:1:container-instance/shop-prod/x", PARENT_KEY: CLUSTER,
        "ec2InstanceId": "i-0abc", "status": "ACTIVE", "agentConnected": True, "runningTasksCount": 2,
        "registeredResources": [{"name": "CPU", "integerValue": 2048}, {"name": "MEMORY", "integerValue": 7482}],
        "remainingResources": [{"name": "CPU", "integerValue": 1024}, {"name": "MEMORY", "integerValue": 5434}],
        "attributes": [{"name": "ecs.instance-type", "value": "m5.large"}],
    })  # fmt: skip
    assert (host["cluster_name"], host["ec2_instance_id"], host["instance_type"]) == ("shop-prod", "i-0abc", "m5.large")
    assert (host["cpu_remaining"], host["memory_registered"]) == (1024, 7482)


def test_task_definition_fields():
    fields = t.task_definition_fields({
        "taskDefinitionArn": "arn:aws:ecs:us-east-1:1:task-definition/web:3", "family": "web", "revision": 3,
        "cpu": "512", "memory": "1024", "compatibilities": ["FARGATE", "EC2"], "requiresCompatibilities": ["FARGATE"],
        "containerDefinitions": [{"name": "web", "image": "nginx:1.27", "memoryReservation": 256}],
        "tags": [{"key": "Team", "value": "shop"}],
    })  # fmt: skip
    assert (fields["family"], fields["revision"], fields["compatibilities"]) == ("web", 3, ["EC2", "FARGATE"])
    assert fields["containers"] == [{"name": "web", "image": "nginx:1.27", "cpu": 0, "memory": 256, "essential": True}]
