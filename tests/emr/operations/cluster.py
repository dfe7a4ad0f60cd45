"""An EMR cluster built in the sandbox with plain boto3 and synced: what the EMR action tests start from.

etl-nightly runs a MASTER group (1 on-demand), a CORE group (2 on-demand) and a TASK group (2 spot). The sandbox
starts real EC2 instances for every group and moves a group's running count toward a new requested count over its
EMR delay (`POST /fleetui-sandbox/emr {"delay": s}`), so a resize's progress is real.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import boto3
import requests

from fleetui.inventory.models import Account
from fleetui.inventory.sync import sync_scope

REGION = "us-east-1"
NAME = "etl-nightly"
EMR_TYPES = ("emr_clusters", "emr_instance_groups", "emr_steps", "emr_instances")
GROUPS = [
    {"Name": "primary", "InstanceRole": "MASTER", "Market": "ON_DEMAND", "InstanceType": "m5.xlarge",
     "InstanceCount": 1},
    {"Name": "core", "InstanceRole": "CORE", "Market": "ON_DEMAND", "InstanceType": "r5.xlarge", "InstanceCount": 2},
    {
        "Name": "spot-tasks", "InstanceRole": "TASK", "Market": "SPOT", "BidPrice": "0.25",
        "InstanceType": "r5.2xlarge", "InstanceCount": 2,
    },
]  # fmt: skip


@dataclass
class Built:
    emr: Any
    ec2: Any
    cluster_id: str
    name: str = NAME

    def cluster(self) -> dict[str, Any]:
        return dict(self.emr.describe_cluster(ClusterId=self.cluster_id)["Cluster"])

    def state(self) -> str:
        return str(self.cluster()["Status"]["State"])

    def groups(self) -> dict[str, dict[str, Any]]:
        """{group type: the group as ListInstanceGroups says}."""
        found = self.emr.list_instance_groups(ClusterId=self.cluster_id)["InstanceGroups"]
        return {group["InstanceGroupType"]: group for group in found}

    def group_id(self, group_type: str) -> str:
        return str(self.groups()[group_type]["Id"])

    def counts(self, group_type: str) -> tuple[int, int]:
        """(requested, running) of a group, as EMR says now."""
        group = self.groups()[group_type]
        return group["RequestedInstanceCount"], group["RunningInstanceCount"]

    def ec2_ids(self, group_type: str, *, live: bool = True) -> list[str]:
        """The EC2 instance ids of a group's EMR instances (live: not TERMINATED)."""
        group_id = self.group_id(group_type)
        found = self.emr.list_instances(ClusterId=self.cluster_id, InstanceGroupId=group_id)["Instances"]
        return sorted(i["Ec2InstanceId"] for i in found if not live or i["Status"]["State"] != "TERMINATED")

    def wait_state(self, *states: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.state() not in states:
            assert time.monotonic() < deadline, f"the sandbox cluster stayed {self.state()}, not {states}"
            time.sleep(0.05)


def sandbox_delay(endpoint: str, seconds: float) -> None:
    """How long the sandbox takes to start a cluster, resize a group by its whole change, or terminate a cluster."""
    requests.post(f"{endpoint}/fleetui-sandbox/emr", json={"delay": seconds}, timeout=10).raise_for_status()


def emr_sync(account: Account) -> None:
    for resource_type in (*EMR_TYPES, "instances"):
        sync_scope(account=account, region=REGION, resource_type=resource_type)


def cluster_build(endpoint: str, account: Account, *, delay: float = 0.3, protected: bool = False) -> Built:
    """etl-nightly, WAITING with its instances, synced (EMR and EC2); then the sandbox's EMR delay is `delay`."""
    emr = boto3.client("emr", region_name=REGION, endpoint_url=endpoint)
    sandbox_delay(endpoint, 0)
    cluster_id = emr.run_job_flow(
        Name=NAME, ReleaseLabel="emr-7.2.0", Applications=[{"Name": "Spark"}, {"Name": "Hive"}],
        Instances={"InstanceGroups": GROUPS, "KeepJobFlowAliveWhenNoSteps": True, "TerminationProtected": protected},
        JobFlowRole="EMR_EC2_DefaultRole", ServiceRole="EMR_DefaultRole", LogUri="s3://etl-logs/emr/",
    )["JobFlowId"]  # fmt: skip
    built = Built(emr, boto3.client("ec2", region_name=REGION, endpoint_url=endpoint), cluster_id)
    built.wait_state("WAITING")
    sandbox_delay(endpoint, delay)
    emr_sync(account)
    return built
