"""An ECS cluster with one Fargate service, built in the sandbox with plain boto3 and synced: what the ECS action
tests start from."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import boto3
import requests

from fleetui.inventory.models import Account
from fleetui.inventory.sync import sync_scope

REGION = "us-east-1"
CLUSTER = "prod"
ECS_TYPES = ("ecs_clusters", "ecs_task_definitions", "ecs_services", "ecs_tasks")


@dataclass
class EcsService:
    ecs: Any
    cluster_arn: str
    arn: str
    name: str
    task_definition: str

    def read(self) -> dict[str, Any]:
        return self.ecs.describe_services(cluster=CLUSTER, services=[self.arn])["services"][0]

    def counts(self) -> tuple[int, int]:
        """(desired, running) as ECS says now."""
        service = self.read()
        return service["desiredCount"], service["runningCount"]

    def task_arns(self) -> list[str]:
        return sorted(self.ecs.list_tasks(cluster=CLUSTER, serviceName=self.name)["taskArns"])


def sandbox_delay(endpoint: str, seconds: float) -> None:
    """How long the sandbox takes to move a service's running count to desired, and to roll a deployment out."""
    requests.post(f"{endpoint}/fleetui-sandbox/ecs", json={"delay": seconds}, timeout=10).raise_for_status()


def wait_steady(service: EcsService, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while (counts := service.counts())[0] != counts[1]:
        assert time.monotonic() < deadline, f"the sandbox service did not reach its desired count: {counts}"
        time.sleep(0.05)


def ecs_sync(account: Account) -> None:
    for resource_type in ECS_TYPES:
        sync_scope(account=account, region=REGION, resource_type=resource_type)


def awsvpc(endpoint: str) -> dict[str, Any]:
    """A subnet and a security group for a Fargate service (awsvpc mode needs them)."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})  # as in a default VPC: tasks get names
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.40.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="web", Description="web tasks", VpcId=vpc)["GroupId"]
    return {"awsvpcConfiguration": {"subnets": [subnet], "securityGroups": [group], "assignPublicIp": "DISABLED"}}


def service_build(
    endpoint: str, account: Account, *, desired: int = 2, delay: float = 0.3, name: str = "web", **extra: Any
) -> EcsService:
    """Cluster `prod` with the Fargate service `name` running `desired` tasks, synced; then the sandbox's delay."""
    ecs = boto3.client("ecs", region_name=REGION, endpoint_url=endpoint)
    sandbox_delay(endpoint, 0)
    cluster_arn = ecs.create_cluster(clusterName=CLUSTER)["cluster"]["clusterArn"]
    container = {"name": name, "image": "public.ecr.aws/nginx/nginx:1.27", "memory": 512, "essential": True}
    task_definition = ecs.register_task_definition(
        family=name, containerDefinitions=[container], requiresCompatibilities=["FARGATE"], networkMode="awsvpc",
        cpu="256", memory="512",
    )["taskDefinition"]["taskDefinitionArn"]  # fmt: skip
    arn = ecs.create_service(
        cluster=CLUSTER, serviceName=name, taskDefinition=task_definition, desiredCount=desired,
        networkConfiguration=awsvpc(endpoint), **({"launchType": "FARGATE"} | extra),
    )["service"]["serviceArn"]  # fmt: skip
    service = EcsService(ecs, cluster_arn, arn, name, task_definition)
    wait_steady(service)
    sandbox_delay(endpoint, delay)
    ecs_sync(account)
    return service
