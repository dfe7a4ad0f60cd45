"""A cluster with one managed nodegroup built in the sandbox with plain boto3, then synced: what the EKS action tests
start from. The sandbox puts a real Auto Scaling group with EC2 instances behind the nodegroup."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import boto3
import requests

from fleetui.inventory.models import Account
from fleetui.inventory.sync import sync_scope

REGION = "us-east-1"
CLUSTER = "shop-prod"
NODEGROUP = "web"
ROLE = "arn:aws:iam::123456789012:role/eks"
EKS_TYPES = ("eks_clusters", "eks_nodegroups")


@dataclass
class Built:
    eks: Any
    autoscaling: Any
    arn: str
    cluster: str = CLUSTER
    name: str = NODEGROUP

    def scaling(self) -> dict[str, int]:
        return dict(self.describe()["scalingConfig"])

    def describe(self) -> dict[str, Any]:
        return dict(self.eks.describe_nodegroup(clusterName=self.cluster, nodegroupName=self.name)["nodegroup"])

    def updates(self) -> list[dict[str, Any]]:
        """Every update EKS knows for the nodegroup (ListUpdates, then DescribeUpdate)."""
        ids = self.eks.list_updates(name=self.cluster, nodegroupName=self.name)["updateIds"]
        return [
            self.eks.describe_update(name=self.cluster, nodegroupName=self.name, updateId=uid)["update"] for uid in ids
        ]

    def instance_ids(self) -> list[str]:
        [group] = self.describe()["resources"]["autoScalingGroups"]
        found = self.autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[group["name"]])
        return sorted(i["InstanceId"] for g in found["AutoScalingGroups"] for i in g["Instances"])

    def wait_active(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.describe()["status"] != "ACTIVE":
            assert time.monotonic() < deadline, "the sandbox nodegroup did not become ACTIVE"
            time.sleep(0.05)


def sandbox_delay(endpoint: str, seconds: float) -> None:
    requests.post(f"{endpoint}/fleetui-sandbox/eks", json={"delay": seconds}, timeout=10).raise_for_status()


def nodegroup_build(
    endpoint: str, account: Account, *, sizes: tuple[int, int, int] = (1, 2, 4), delay: float = 0.3
) -> Built:
    """Cluster shop-prod with nodegroup web at (min, desired, max) = `sizes`, ACTIVE with its instances, synced;
    then the sandbox's EKS delay is `delay` seconds for what the test does."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24", AvailabilityZone=f"{REGION}a")["Subnet"]
    eks = boto3.client("eks", region_name=REGION, endpoint_url=endpoint)
    sandbox_delay(endpoint, 0)
    eks.create_cluster(name=CLUSTER, roleArn=ROLE, resourcesVpcConfig={"subnetIds": [subnet["SubnetId"]]})
    low, desired, high = sizes
    created = eks.create_nodegroup(
        clusterName=CLUSTER, nodegroupName=NODEGROUP, nodeRole=ROLE, subnets=[subnet["SubnetId"]],
        instanceTypes=["m5.large"], capacityType="ON_DEMAND",
        scalingConfig={"minSize": low, "desiredSize": desired, "maxSize": high},
    )["nodegroup"]  # fmt: skip
    built = Built(eks, boto3.client("autoscaling", region_name=REGION, endpoint_url=endpoint), created["nodegroupArn"])
    built.wait_active()
    sandbox_delay(endpoint, delay)
    for resource_type in EKS_TYPES:
        sync_scope(account=account, region=REGION, resource_type=resource_type)
    return built
