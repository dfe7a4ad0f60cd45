"""Fixtures for the EKS tests: the inventory sync tests' accounts, and a cluster built in the sandbox (nodegroups
on real ASGs and EC2 instances, a Fargate profile, add-ons) with the operation delay at 0."""

from typing import Any

import boto3
import pytest
import requests

from fleetui.inventory.sync import sync_scope
from tests.inventory.sync.conftest import account, fresh_clients, second_account  # noqa: F401  fixtures

REGION = "us-east-1"
ACCOUNT = "123456789012"
EKS_TYPES = ["eks_clusters", "eks_nodegroups", "eks_fargate_profiles", "eks_addons"]
NODE_ROLE = f"arn:aws:iam::{ACCOUNT}:role/eks-node-role"


def eks_client(endpoint: str):
    requests.post(f"{endpoint}/fleetui-sandbox/eks", json={"delay": 0}, timeout=10).raise_for_status()
    return boto3.client("eks", region_name=REGION, endpoint_url=endpoint)


@pytest.fixture
def eks(aws):
    return eks_client(aws)


def subnets(endpoint: str, region: str = REGION) -> list[str]:
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=endpoint)
    found = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    return sorted(subnet["SubnetId"] for subnet in found)[:2]


def nodegroup_create(eks, endpoint: str, cluster: str, name: str, capacity: str, types: list[str], sizes) -> dict:
    low, desired, high = sizes
    eks.create_nodegroup(
        clusterName=cluster,
        nodegroupName=name,
        capacityType=capacity,
        instanceTypes=types,
        scalingConfig={"minSize": low, "desiredSize": desired, "maxSize": high},
        subnets=subnets(endpoint),
        nodeRole=NODE_ROLE,
        amiType="AL2023_x86_64_STANDARD",
        version="1.31",
    )
    return eks.describe_nodegroup(clusterName=cluster, nodegroupName=name)["nodegroup"]


@pytest.fixture
def platform(eks, aws) -> dict[str, Any]:
    return platform_build(eks, aws)


def platform_build(eks, aws: str) -> dict[str, Any]:
    """Cluster `platform-prod` (1.31): nodegroups `general` (ON_DEMAND, 2/3/6) and `batch-spot` (SPOT, two types,
    0/2/4), Fargate profile `serverless`, add-ons vpc-cni, coredns and kube-proxy."""
    cluster = eks.create_cluster(
        name="platform-prod",
        version="1.31",
        roleArn=f"arn:aws:iam::{ACCOUNT}:role/eks-cluster-role",
        resourcesVpcConfig={"subnetIds": subnets(aws)},
        tags={"team": "platform"},
    )["cluster"]
    general = nodegroup_create(eks, aws, "platform-prod", "general", "ON_DEMAND", ["m5.large"], (2, 3, 6))
    spot = nodegroup_create(eks, aws, "platform-prod", "batch-spot", "SPOT", ["m5.large", "m5a.large"], (0, 2, 4))
    fargate = eks.create_fargate_profile(
        clusterName="platform-prod",
        fargateProfileName="serverless",
        podExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/pods",
        selectors=[{"namespace": "jobs"}, {"namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}}],
    )["fargateProfile"]
    addons = {name: eks.create_addon(clusterName="platform-prod", addonName=name)["addon"] for name in
              ("vpc-cni", "coredns", "kube-proxy")}  # fmt: skip
    return {"cluster": cluster, "general": general, "spot": spot, "fargate": fargate, "addons": addons}


def sync(owner, resource_type, region=REGION):
    run = sync_scope(account=owner, region=region, resource_type=resource_type)
    assert run.status == "succeeded", run.error
    return run


def sync_all(owner, region=REGION, types=("instances", *EKS_TYPES)):
    return {name: sync(owner, name, region) for name in types}
