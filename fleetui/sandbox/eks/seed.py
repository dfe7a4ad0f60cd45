"""The EKS part of the demo, through plain boto3 calls against the sandbox (account 123456789012).

- `platform-prod` (us-east-1, Kubernetes 1.31): nodegroup `general` (ON_DEMAND, m5.large, 2/3/6), nodegroup
  `batch-spot` (SPOT, m5.large/m5a.large/m6i.large, 0/4/10) with a health issue (Spot capacity could not be
  launched), Fargate profile `serverless` (namespaces `jobs` and `kube-system` with label `k8s-app=kube-dns`),
  add-ons vpc-cni, coredns, kube-proxy.
- `analytics-eu` (eu-west-1, Kubernetes 1.30): nodegroup `workers` (ON_DEMAND, r5.large/r5a.large, 1/2/4) and
  the same three add-ons.
A cluster is seeded only when its region is one of the demo's. Every nodegroup's instances are real running EC2
instances behind its real Auto Scaling group.
"""

from __future__ import annotations

from typing import Any

import boto3
import requests

from ..seed import DemoSeed
from .extensions import CONTROL_PATH, HEALTH_PATH

ACCOUNT = "123456789012"
_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
CLUSTER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/eks-cluster-role"
NODE_ROLE = f"arn:aws:iam::{ACCOUNT}:role/eks-node-role"
ADDONS = ("vpc-cni", "coredns", "kube-proxy")
# (region, cluster, Kubernetes version, [(nodegroup, capacity type, instance types, (min, desired, max))], Fargate)
DEMO_CLUSTERS: list[tuple[str, str, str, list[tuple[str, str, list[str], tuple[int, int, int]]], bool]] = [
    (
        "us-east-1",
        "platform-prod",
        "1.31",
        [
            ("general", "ON_DEMAND", ["m5.large"], (2, 3, 6)),
            ("batch-spot", "SPOT", ["m5.large", "m5a.large", "m6i.large"], (0, 4, 10)),
        ],
        True,
    ),
    ("eu-west-1", "analytics-eu", "1.30", [("workers", "ON_DEMAND", ["r5.large", "r5a.large"], (1, 2, 4))], False),
]
FARGATE_SELECTORS = [{"namespace": "jobs"}, {"namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}}]
UNHEALTHY: dict[str, Any] = {
    "cluster": "platform-prod",
    "nodegroup": "batch-spot",
    "issues": [
        {
            "code": "AsgInstanceLaunchFailures",
            "message": "Could not launch Spot Instances. UnfulfillableCapacity - Unable to fulfill capacity due to "
            "your request configuration. Please adjust your request and try again. Launching EC2 instance failed.",
        }
    ],
}


def eks_seed(*, endpoint: str, regions: list[str]) -> dict[str, Any]:
    """Seed the EKS demo into the running sandbox (no reset), every nodegroup ACTIVE with its instances running:
    the delay is 0 while seeding, then restored. Returns counts (clusters, nodegroups, ..., instances)."""
    before = requests.get(endpoint + CONTROL_PATH, timeout=10).json()
    requests.post(endpoint + CONTROL_PATH, json={"delay": 0}, timeout=10).raise_for_status()
    counts = {"clusters": 0, "nodegroups": 0, "fargate_profiles": 0, "addons": 0, "instances": 0}
    try:
        for region, name, version, nodegroups, fargate in DEMO_CLUSTERS:
            if region not in regions:
                continue
            eks = boto3.client("eks", region_name=region, endpoint_url=endpoint, **_KEYS)
            subnets = _subnets(endpoint, region)
            eks.create_cluster(
                name=name,
                version=version,
                roleArn=CLUSTER_ROLE,
                resourcesVpcConfig={"subnetIds": subnets},
                tags={"team": "platform", "env": "prod" if name.endswith("prod") else "analytics"},
            )
            counts["clusters"] += 1
            for ng_name, capacity, types, (low, desired, high) in nodegroups:
                eks.create_nodegroup(
                    clusterName=name,
                    nodegroupName=ng_name,
                    capacityType=capacity,
                    instanceTypes=types,
                    scalingConfig={"minSize": low, "desiredSize": desired, "maxSize": high},
                    subnets=subnets,
                    nodeRole=NODE_ROLE,
                    amiType="AL2023_x86_64_STANDARD",
                    releaseVersion=f"{version}.0-20250116",
                    version=version,
                    labels={"workload": "batch" if capacity == "SPOT" else "general"},
                    tags={"team": "platform"},
                )
                # The delay is 0: this read settles the creation, so the ASG's instances exist from here on.
                eks.describe_nodegroup(clusterName=name, nodegroupName=ng_name)
                counts["nodegroups"] += 1
                counts["instances"] += desired
            if fargate:
                eks.create_fargate_profile(
                    clusterName=name,
                    fargateProfileName="serverless",
                    podExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/eks-fargate-pods",
                    subnets=subnets,
                    selectors=FARGATE_SELECTORS,
                )
                counts["fargate_profiles"] += 1
            for addon in ADDONS:
                eks.create_addon(clusterName=name, addonName=addon)
                counts["addons"] += 1
            if name == UNHEALTHY["cluster"]:
                health = {"account_id": ACCOUNT, "region": region, **UNHEALTHY}
                requests.post(endpoint + HEALTH_PATH, json=health, timeout=10).raise_for_status()
    finally:
        requests.post(endpoint + CONTROL_PATH, json={"delay": before["delay"]}, timeout=10).raise_for_status()
    return counts


def _subnets(endpoint: str, region: str) -> list[str]:
    """The default VPC's subnets (moto makes one per AZ), the first two by AZ."""
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=endpoint, **_KEYS)
    found = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    return [subnet["SubnetId"] for subnet in sorted(found, key=lambda s: s["AvailabilityZone"])[:2]]


def seed(demo: DemoSeed) -> None:
    """The service hook: the EKS demo in the demo's regions, counted under "eks"; its nodes are running EC2
    instances of the fleet too."""
    counts = eks_seed(endpoint=demo.endpoint, regions=demo.regions)
    demo.summary["eks"] = counts
    demo.instances_add(running=counts["instances"])


def describe(summary: dict[str, Any]) -> str:
    """The service hook: EKS's phrase of the seed line."""
    counts = summary["eks"]
    return f"{counts['nodegroups']} EKS nodegroups of {counts['clusters']} clusters"
