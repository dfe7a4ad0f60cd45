"""The Batch part of the demo, through plain boto3 calls against the sandbox (account 123456789012, us-east-1).

- Compute environments: `etl-ondemand` (EC2 on-demand, m5.large/c5.xlarge, BEST_FIT_PROGRESSIVE, 0/8/64 vCPUs),
  `etl-spot` (SPOT, m5.xlarge/c5.xlarge/c5.2xlarge, SPOT_CAPACITY_OPTIMIZED, 60% of on-demand, 0/16/256),
  `render-fargate` (FARGATE, up to 32 vCPUs) and `legacy-ondemand` (EC2, DISABLED, 0/0/16). The EC2 and SPOT
  ones run real sandbox EC2 instances for their desired vCPUs.
- Job queues: `high-priority` (priority 100: on-demand, then spot), `default` (10: spot, then on-demand),
  `render` (50: Fargate) and `legacy` (1, DISABLED once its jobs were in).
- Job definitions: `nightly-etl` (3 revisions), `report-render` (Fargate), `image-resize`, and `old-export`
  (deregistered: INACTIVE).
- Jobs in every status: most are held where they are (the control path), a few run free, so the counts change
  between two syncs.
"""

from __future__ import annotations

from typing import Any

import boto3
import requests

from ..seed import DemoSeed
from .extensions import CONTROL_PATH, JOBS_PATH

ACCOUNT = "123456789012"
REGION = "us-east-1"
_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
SERVICE_ROLE = "AWSBatchServiceRole"
INSTANCE_PROFILE = "ecsInstanceRole"
# (name, type, state, instance types, allocation strategy, (min, desired, max), extra computeResources)
ENVIRONMENTS: list[tuple[str, str, str, list[str], str, tuple[int, int, int], dict[str, Any]]] = [
    ("etl-ondemand", "EC2", "ENABLED", ["m5.large", "c5.xlarge"], "BEST_FIT_PROGRESSIVE", (0, 8, 64), {}),
    ("etl-spot", "SPOT", "ENABLED", ["m5.xlarge", "c5.xlarge", "c5.2xlarge"], "SPOT_CAPACITY_OPTIMIZED",
     (0, 16, 256), {"bidPercentage": 60}),
    ("render-fargate", "FARGATE", "ENABLED", [], "", (0, 0, 32), {}),
    ("legacy-ondemand", "EC2", "DISABLED", ["m5.large"], "BEST_FIT", (0, 0, 16), {}),
]  # fmt: skip
# (name, priority, state, [compute environment in order])
QUEUES: list[tuple[str, int, str, list[str]]] = [
    ("high-priority", 100, "ENABLED", ["etl-ondemand", "etl-spot"]),
    ("default", 10, "ENABLED", ["etl-spot", "etl-ondemand"]),
    ("render", 50, "ENABLED", ["render-fargate"]),
    ("legacy", 1, "ENABLED", ["legacy-ondemand"]),
]
# (queue, job name, definition, status it is held at; "" runs free)
JOBS: list[tuple[str, str, str, str]] = [
    ("high-priority", "etl-orders-0400", "nightly-etl", "RUNNING"),
    ("high-priority", "etl-payments-0400", "nightly-etl", "RUNNING"),
    ("high-priority", "etl-refunds-0400", "nightly-etl", "STARTING"),
    ("high-priority", "etl-orders-0300", "nightly-etl", "SUCCEEDED"),
    ("high-priority", "etl-customers-0300", "nightly-etl", "FAILED"),
    ("default", "backfill-2024-01", "nightly-etl", "RUNNABLE"),
    ("default", "backfill-2024-02", "nightly-etl", "RUNNABLE"),
    ("default", "backfill-2024-03", "nightly-etl", "PENDING"),
    ("default", "backfill-2024-04", "nightly-etl", "SUBMITTED"),
    ("default", "backfill-2023-12", "nightly-etl", "SUCCEEDED"),
    ("default", "adhoc-dedupe", "image-resize", ""),
    ("default", "adhoc-reindex", "image-resize", ""),
    ("render", "render-monthly-report", "report-render", "RUNNING"),
    ("render", "render-weekly-report", "report-render", "SUCCEEDED"),
    ("render", "render-invoice-batch", "report-render", ""),
    ("legacy", "legacy-export", "image-resize", "RUNNABLE"),
]


def _client(service: str, endpoint: str) -> Any:
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint, **_KEYS)


def _network(endpoint: str) -> tuple[list[str], list[str]]:
    """The default VPC's first two subnets and its default security group."""
    ec2 = _client("ec2", endpoint)
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    groups = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["default"]}])["SecurityGroups"]
    ordered = sorted(subnets, key=lambda subnet: subnet["AvailabilityZone"])[:2]
    return [subnet["SubnetId"] for subnet in ordered], [groups[0]["GroupId"]]


def _roles(endpoint: str) -> tuple[str, str]:
    """The Batch service role and the ECS instance profile a managed EC2 environment needs (IAM is global)."""
    iam = _client("iam", endpoint)
    trust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"batch.amazonaws.com"},' \
        '"Action":"sts:AssumeRole"}]}'  # fmt: skip
    role = iam.create_role(RoleName=SERVICE_ROLE, AssumeRolePolicyDocument=trust, Path="/service-role/")["Role"]
    profile = iam.create_instance_profile(InstanceProfileName=INSTANCE_PROFILE)["InstanceProfile"]
    return role["Arn"], profile["Arn"]


def _environment(
    batch: Any, spec: tuple[Any, ...], network: tuple[list[str], list[str]], roles: tuple[str, str]
) -> None:
    name, kind, state, types, strategy, (low, desired, high), extra = spec
    subnets, groups = network
    resources: dict[str, Any] = {"type": kind, "maxvCpus": high, "subnets": subnets, "securityGroupIds": groups}
    if kind not in ("FARGATE", "FARGATE_SPOT"):
        resources.update(
            minvCpus=low, desiredvCpus=desired, instanceTypes=types, instanceRole=roles[1],
            allocationStrategy=strategy, tags={"team": "data", "batch-environment": name}, **extra,
        )  # fmt: skip
    batch.create_compute_environment(
        computeEnvironmentName=name, type="MANAGED", state=state, computeResources=resources, serviceRole=roles[0],
        tags={"team": "data", "cost-center": "analytics"},
    )  # fmt: skip


def _definitions(batch: Any) -> None:
    for revision in range(1, 4):
        batch.register_job_definition(
            jobDefinitionName="nightly-etl", type="container", tags={"team": "data"},
            containerProperties={"image": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/etl:1.{revision}",
                                 "vcpus": 2, "memory": 4096, "command": ["python", "-m", "etl.run"]},
            retryStrategy={"attempts": 2}, timeout={"attemptDurationSeconds": 3600},
        )  # fmt: skip
    batch.register_job_definition(
        jobDefinitionName="report-render", type="container", platformCapabilities=["FARGATE"],
        containerProperties={
            "image": "public.ecr.aws/docker/library/python:3.12", "command": ["python", "render.py"],
            "resourceRequirements": [{"type": "VCPU", "value": "1"}, {"type": "MEMORY", "value": "2048"}],
            "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/ecsTaskExecutionRole",
            "networkConfiguration": {"assignPublicIp": "DISABLED"},
        },
    )  # fmt: skip
    batch.register_job_definition(
        jobDefinitionName="image-resize", type="container",
        containerProperties={"image": "public.ecr.aws/docker/library/busybox", "vcpus": 1, "memory": 1024,
                             "command": ["sh", "-c", "resize"]},
    )  # fmt: skip
    old = batch.register_job_definition(
        jobDefinitionName="old-export", type="container",
        containerProperties={"image": "busybox", "vcpus": 1, "memory": 512, "command": ["true"]},
    )  # fmt: skip
    batch.deregister_job_definition(jobDefinition=old["jobDefinitionArn"])


def batch_seed(*, endpoint: str, regions: list[str]) -> dict[str, Any]:
    """Seed the Batch demo into the running sandbox (no reset): environments VALID with their instances running
    (the delay is 0 while they are made), then jobs under the delay in force. Returns counts."""
    counts = {"environments": 0, "queues": 0, "job_definitions": 0, "jobs": 0, "instances": 0}
    if REGION not in regions:
        return counts
    before = requests.get(endpoint + CONTROL_PATH, timeout=10).json()
    batch = _client("batch", endpoint)
    requests.post(endpoint + CONTROL_PATH, json={"delay": 0}, timeout=10).raise_for_status()
    try:
        network, roles = _network(endpoint), _roles(endpoint)
        for spec in ENVIRONMENTS:
            _environment(batch, spec, network, roles)
            counts["environments"] += 1
        # The delay is 0: this read settles the creations, so the instances exist from here on.
        batch.describe_compute_environments()
        for name, priority, state, order in QUEUES:
            batch.create_job_queue(
                jobQueueName=name, priority=priority, state=state, tags={"team": "data"},
                computeEnvironmentOrder=[{"order": i + 1, "computeEnvironment": env} for i, env in enumerate(order)],
            )  # fmt: skip
            counts["queues"] += 1
        _definitions(batch)
        counts["job_definitions"] = 3
    finally:
        requests.post(endpoint + CONTROL_PATH, json={"delay": before["delay"]}, timeout=10).raise_for_status()
    for queue, name, definition, held in JOBS:
        job = batch.submit_job(jobName=name, jobQueue=queue, jobDefinition=definition, tags={"team": "data"})
        counts["jobs"] += 1
        if held:
            reason = "Essential container in task exited" if held == "SUCCEEDED" else (
                "OutOfMemoryError: Container killed due to memory usage" if held == "FAILED" else None)  # fmt: skip
            body = {"account_id": ACCOUNT, "region": REGION, "job_id": job["jobId"], "status": held, "hold": True,
                    "reason": reason}  # fmt: skip
            requests.post(endpoint + JOBS_PATH, json=body, timeout=10).raise_for_status()
    batch.update_job_queue(jobQueue="legacy", state="DISABLED")
    instances = _client("ec2", endpoint).describe_instances(
        Filters=[{"Name": "tag-key", "Values": ["AWSBatchServiceTag"]}]
    )["Reservations"]
    counts["instances"] = sum(len(reservation["Instances"]) for reservation in instances)
    return counts


def seed(demo: DemoSeed) -> None:
    """The service hook: the Batch demo, counted under "batch"; its instances are running EC2 instances too."""
    counts = batch_seed(endpoint=demo.endpoint, regions=demo.regions)
    demo.summary["batch"] = counts
    demo.instances_add(running=counts["instances"])


def describe(summary: dict[str, Any]) -> str:
    """The service hook: Batch's phrase of the seed line."""
    counts = summary["batch"]
    return f"{counts['jobs']} Batch jobs in {counts['queues']} queues on {counts['environments']} environments"
