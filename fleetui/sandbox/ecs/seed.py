"""The ECS part of the demo, through plain boto3 calls against the sandbox (account 123456789012, the fake keys').

- `shop-prod` in us-east-1 (capacity providers FARGATE and FARGATE_SPOT, default strategy FARGATE):
  `web` (Fargate, 3 tasks behind a target group), `checkout-api` (Fargate, 2), `image-resizer` (FARGATE_SPOT
  weight 3 + FARGATE base 1, 4 tasks), `orders-worker` (EC2 launch type, 4 tasks on 3 container instances that
  are real sandbox EC2 instances registered with their instance identity) and `reports-generator` (EC2, 2 wanted,
  0 running: its tasks need more memory than any container instance has, so it stays below its desired count).
- `analytics-prod` in eu-west-1: `ingest` (Fargate, 2) and `dashboards` (FARGATE_SPOT, 1), whose last rollout
  FAILED (a task definition whose image contains "crashloop").
The same whatever the demo's regions. Every service is settled while seeding (the delay is 0, then restored).
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import requests

from ..seed import DemoSeed
from .extensions import CONTROL_PATH

ACCOUNT = "123456789012"
_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
FARGATE_STRATEGY = [{"capacityProvider": "FARGATE", "weight": 1, "base": 0}]
SPOT_STRATEGY = [
    {"capacityProvider": "FARGATE", "weight": 1, "base": 1},
    {"capacityProvider": "FARGATE_SPOT", "weight": 3, "base": 0},
]
CONTAINER_HOSTS = 3
# family -> (image, task cpu, task memory, Fargate?)
DEFINITIONS: dict[str, tuple[str, str, str, bool]] = {
    "storefront-web": ("public.ecr.aws/nginx/nginx:1.27", "512", "1024", True),
    "checkout-api": (f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/checkout-api:3.4.1", "1024", "2048", True),
    "image-resizer": (f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/image-resizer:1.9.0", "256", "512", True),
    "orders-worker": (f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/orders-worker:2024.11", "512", "1024", False),
    "reports-generator": (f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/reports:5.0", "1024", "16384", False),
    "ingest": (f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/ingest:0.42.0", "512", "1024", True),
    "dashboards": (f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/dashboards:7.1", "256", "512", True),
}


def _client(service: str, endpoint: str, region: str) -> Any:
    return boto3.client(service, region_name=region, endpoint_url=endpoint, **_KEYS)


def _register(ecs: Any, family: str, image: str | None = None) -> str:
    default_image, cpu, memory, fargate = DEFINITIONS[family]
    container: dict[str, Any] = {"name": family, "image": image or default_image, "essential": True}
    params: dict[str, Any] = {"family": family, "containerDefinitions": [container], "cpu": cpu, "memory": memory}
    if fargate:
        params.update(requiresCompatibilities=["FARGATE"], networkMode="awsvpc")
        container["portMappings"] = [{"containerPort": 8080, "protocol": "tcp"}]
    else:
        params.update(requiresCompatibilities=["EC2"], networkMode="bridge")
        container.update(cpu=int(cpu), memory=int(memory))
    return str(ecs.register_task_definition(**params)["taskDefinition"]["taskDefinitionArn"])


def _network(ec2: Any) -> dict[str, Any]:
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]
    return {
        "awsvpcConfiguration": {
            "subnets": sorted(subnet["SubnetId"] for subnet in subnets)[:2],
            "securityGroups": [groups[0]["GroupId"]],
            "assignPublicIp": "DISABLED",
        }
    }


def _container_hosts(ec2: Any, ecs: Any, cluster: str, region: str) -> list[str]:
    """Run CONTAINER_HOSTS EC2 instances from an ECS-optimized-looking AMI and register each in the cluster with its
    instance identity document, as the ECS agent does."""
    images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-ecs-hvm-*"]}])
    if not images["Images"]:
        images = ec2.describe_images(
            Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*x86_64*"]}]
        )
    image_id = sorted(image["ImageId"] for image in images["Images"])[0]
    tags = [{"Key": "Name", "Value": f"ecs-{cluster}"}, {"Key": "Owner", "Value": "platform-team"}]
    reservation = ec2.run_instances(
        ImageId=image_id, InstanceType="m5.large", MinCount=CONTAINER_HOSTS, MaxCount=CONTAINER_HOSTS,
        TagSpecifications=[{"ResourceType": "instance", "Tags": tags}],
    )  # fmt: skip
    ids = []
    for instance in reservation["Instances"]:
        identity = {
            "instanceId": instance["InstanceId"],
            "region": region,
            "accountId": ACCOUNT,
            "availabilityZone": instance["Placement"]["AvailabilityZone"],
            "instanceType": instance["InstanceType"],
            "imageId": image_id,
            "privateIp": instance.get("PrivateIpAddress", ""),
        }
        ecs.register_container_instance(
            cluster=cluster, instanceIdentityDocument=json.dumps(identity), instanceIdentityDocumentSignature="demo"
        )
        ids.append(instance["InstanceId"])
    return ids


def _shop_prod(endpoint: str, counts: dict[str, int]) -> None:
    region, cluster = "us-east-1", "shop-prod"
    ecs, ec2 = _client("ecs", endpoint, region), _client("ec2", endpoint, region)
    ecs.create_cluster(
        clusterName=cluster, capacityProviders=["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategy=FARGATE_STRATEGY,
        settings=[{"name": "containerInsights", "value": "enabled"}],
        tags=[{"key": "Env", "value": "prod"}, {"key": "Owner", "value": "shop-team"}],
    )  # fmt: skip
    counts["container_instances"] += len(_container_hosts(ec2, ecs, cluster, region))
    network = _network(ec2)
    target_group = f"arn:aws:elasticloadbalancing:{region}:{ACCOUNT}:targetgroup/shop-web/6d0ecf831eec9f09"
    services: list[tuple[str, str, int, dict[str, Any]]] = [
        ("web", "storefront-web", 3, {"launchType": "FARGATE", "networkConfiguration": network,
                                      "loadBalancers": [{"targetGroupArn": target_group, "containerName":
                                                         "storefront-web", "containerPort": 8080}]}),
        ("checkout-api", "checkout-api", 2, {"launchType": "FARGATE", "networkConfiguration": network}),
        ("image-resizer", "image-resizer", 4, {"capacityProviderStrategy": SPOT_STRATEGY,
                                               "networkConfiguration": network}),
        ("orders-worker", "orders-worker", 4, {"launchType": "EC2"}),
        ("reports-generator", "reports-generator", 2, {"launchType": "EC2"}),
    ]  # fmt: skip
    for name, family, desired, params in services:
        _service(ecs, cluster, name, _register(ecs, family), desired, params)
        counts["services"] += 1
        counts["tasks"] += 0 if name == "reports-generator" else desired
    counts["clusters"] += 1


def _analytics_prod(endpoint: str, counts: dict[str, int]) -> None:
    region, cluster = "eu-west-1", "analytics-prod"
    ecs, ec2 = _client("ecs", endpoint, region), _client("ec2", endpoint, region)
    ecs.create_cluster(
        clusterName=cluster, capacityProviders=["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategy=FARGATE_STRATEGY, tags=[{"key": "Env", "value": "prod"}],
    )  # fmt: skip
    network = _network(ec2)
    _service(ecs, cluster, "ingest", _register(ecs, "ingest"), 2, {"launchType": "FARGATE",
                                                                   "networkConfiguration": network})  # fmt: skip
    spot = {"capacityProviderStrategy": [{"capacityProvider": "FARGATE_SPOT", "weight": 1, "base": 0}],
            "networkConfiguration": network}  # fmt: skip
    _service(ecs, cluster, "dashboards", _register(ecs, "dashboards"), 1, spot)
    # A new revision whose container crashes on start: the rollout fails and the old task keeps serving.
    broken = _register(ecs, "dashboards", image=DEFINITIONS["dashboards"][0] + "-crashloop")
    ecs.update_service(cluster=cluster, service="dashboards", taskDefinition=broken)
    ecs.describe_services(cluster=cluster, services=["dashboards"])  # the delay is 0: this read settles it
    counts["services"] += 2
    counts["tasks"] += 3
    counts["clusters"] += 1


def _service(ecs: Any, cluster: str, name: str, definition: str, desired: int, params: dict[str, Any]) -> None:
    ecs.create_service(
        cluster=cluster, serviceName=name, taskDefinition=definition, desiredCount=desired,
        schedulingStrategy="REPLICA", tags=[{"key": "Service", "value": name}], **params,
    )  # fmt: skip


def ecs_seed(*, endpoint: str) -> dict[str, int]:
    """Seed the ECS demo into the running sandbox (no reset), every service settled: the delay is 0 while seeding,
    then restored. Returns counts (clusters, services, tasks, container_instances)."""
    before = requests.get(endpoint + CONTROL_PATH, timeout=10).json()
    requests.post(endpoint + CONTROL_PATH, json={"delay": 0}, timeout=10).raise_for_status()
    counts = {"clusters": 0, "services": 0, "tasks": 0, "container_instances": 0}
    try:
        _shop_prod(endpoint, counts)
        _analytics_prod(endpoint, counts)
    finally:
        requests.post(endpoint + CONTROL_PATH, json={"delay": before["delay"]}, timeout=10).raise_for_status()
    return counts


def seed(demo: DemoSeed) -> None:
    """The service hook: the ECS demo, counted under "ecs"; its container instances are running EC2 instances."""
    counts = ecs_seed(endpoint=demo.endpoint)
    demo.summary["ecs"] = counts
    demo.instances_add(running=counts["container_instances"])


def describe(summary: dict[str, Any]) -> str:
    """The service hook: ECS's phrase of the seed line."""
    counts = summary["ecs"]
    return (
        f"{counts['services']} ECS services ({counts['tasks']} tasks) in {counts['clusters']} clusters on "
        f"Fargate and {counts['container_instances']} container instances"
    )
