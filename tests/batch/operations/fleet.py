"""A small Batch fleet built in the sandbox with plain boto3 and synced: what the Batch action tests start from.

- `etl`: MANAGED EC2 (m5.large, 2 vCPUs each), min 0 / desired 2 / max 16, so one instance runs;
- `render`: MANAGED FARGATE, max 32 vCPUs (no min or desired);
- `byo`: UNMANAGED (no vCPU settings);
- queue `main` on `etl`, and jobs held at a status by the sandbox's control path (`jobs_submit`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
import requests

from fleetui.inventory.models import Account
from fleetui.inventory.sync import sync_scope

REGION = "us-east-1"
ACCOUNT_ID = "123456789012"
BATCH_TYPES = ("batch_compute_environments", "batch_job_queues", "batch_job_definitions", "batch_jobs")
TRUST = (
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"batch.amazonaws.com"},'
    '"Action":"sts:AssumeRole"}]}'
)


@dataclass
class BatchFleet:
    endpoint: str
    batch: Any
    ec2: Any
    arns: dict[str, str] = field(default_factory=dict)  # environment name -> ARN
    jobs: dict[str, str] = field(default_factory=dict)  # job name -> id

    def environment(self, name: str) -> dict[str, Any]:
        return self.batch.describe_compute_environments(computeEnvironments=[name])["computeEnvironments"][0]

    def vcpus(self, name: str) -> tuple[int, int, int]:
        resources = self.environment(name)["computeResources"]
        return resources["minvCpus"], resources["desiredvCpus"], resources["maxvCpus"]

    def instances(self, name: str) -> dict[str, str]:
        """{instance id: state} of the environment's instances (Batch tags them AWSBatchServiceTag=<name>)."""
        pages = self.ec2.describe_instances(Filters=[{"Name": "tag:AWSBatchServiceTag", "Values": [name]}])
        return {i["InstanceId"]: i["State"]["Name"] for r in pages["Reservations"] for i in r["Instances"]}

    def job(self, name: str) -> dict[str, Any]:
        return self.batch.describe_jobs(jobs=[self.jobs[name]])["jobs"][0]


def sandbox_delay(endpoint: str, seconds: float) -> None:
    """How long each step takes in the sandbox: a job's next status, an environment's create or update."""
    requests.post(f"{endpoint}/fleetui-sandbox/batch", json={"delay": seconds}, timeout=10).raise_for_status()


def job_hold(endpoint: str, job_id: str, status: str) -> None:
    """Move a job to `status` now and keep it there (SUCCEEDED or FAILED end it)."""
    body = {"account_id": ACCOUNT_ID, "region": REGION, "job_id": job_id, "status": status, "hold": True}
    requests.post(f"{endpoint}/fleetui-sandbox/batch/jobs", json=body, timeout=10).raise_for_status()


def batch_sync(account: Account) -> None:
    for resource_type in BATCH_TYPES:
        sync_scope(account=account, region=REGION, resource_type=resource_type)


def fleet_build(
    endpoint: str, account: Account, *, delay: float = 0.3, jobs: dict[str, str] | None = None
) -> BatchFleet:
    """The fleet above, VALID, with `jobs` ({name: status held}) in queue `main`, synced; then the sandbox's delay."""
    batch = boto3.client("batch", region_name=REGION, endpoint_url=endpoint)
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    fleet = BatchFleet(endpoint, batch, ec2)
    sandbox_delay(endpoint, 0)
    iam = boto3.client("iam", region_name=REGION, endpoint_url=endpoint)
    role = iam.create_role(RoleName="AWSBatchServiceRole", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    profile = iam.create_instance_profile(InstanceProfileName="ecsInstanceRole")["InstanceProfile"]["Arn"]
    subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]][:2]
    groups = [ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]["GroupId"]]
    network = {"subnets": subnets, "securityGroupIds": groups}
    environments: dict[str, dict[str, Any]] = {
        "etl": {"type": "MANAGED", "computeResources": {
            "type": "EC2", "minvCpus": 0, "desiredvCpus": 2, "maxvCpus": 16, "instanceTypes": ["m5.large"],
            "instanceRole": profile, "allocationStrategy": "BEST_FIT_PROGRESSIVE", **network}},
        "render": {"type": "MANAGED", "computeResources": {"type": "FARGATE", "maxvCpus": 32, **network}},
        "byo": {"type": "UNMANAGED"},
    }  # fmt: skip
    for name, spec in environments.items():
        created = batch.create_compute_environment(
            computeEnvironmentName=name, state="ENABLED", serviceRole=role, **spec
        )
        fleet.arns[name] = created["computeEnvironmentArn"]
    batch.describe_compute_environments()  # the delay is 0: this read makes them VALID, with etl's instance
    batch.create_job_queue(
        jobQueueName="main",
        priority=10,
        state="ENABLED",
        computeEnvironmentOrder=[{"order": 1, "computeEnvironment": "etl"}],
    )
    batch.register_job_definition(
        jobDefinitionName="etl-step", type="container",
        containerProperties={"image": "busybox", "vcpus": 1, "memory": 512, "command": ["true"]},
    )  # fmt: skip
    for name, status in (jobs or {}).items():
        fleet.jobs[name] = batch.submit_job(jobName=name, jobQueue="main", jobDefinition="etl-step")["jobId"]
        job_hold(endpoint, fleet.jobs[name], status)
    batch_sync(account)
    sandbox_delay(endpoint, delay)
    return fleet
