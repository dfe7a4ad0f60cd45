"""Fixtures for the EMR tests: the inventory sync tests' accounts, and a cluster built in the sandbox (MASTER and
CORE on-demand, a TASK group on spot with a bid price, real EC2 instances) with the sandbox's delay at 0."""

from typing import Any

import boto3
import pytest
import requests

from fleetui.inventory.sync import sync_scope
from tests.inventory.sync.conftest import account, fresh_clients, second_account  # noqa: F401  fixtures

REGION = "us-east-1"
ACCOUNT = "123456789012"
EMR_TYPES = ["emr_clusters", "emr_instance_groups", "emr_steps", "emr_instances"]


def emr_client(endpoint: str):
    requests.post(f"{endpoint}/fleetui-sandbox/emr", json={"delay": 0}, timeout=10).raise_for_status()
    return boto3.client("emr", region_name=REGION, endpoint_url=endpoint)


@pytest.fixture
def emr(aws):
    return emr_client(aws)


def group(name: str, role: str, count: int, market: str = "ON_DEMAND", bid: str = "") -> dict[str, Any]:
    spec = {"Name": name, "InstanceRole": role, "InstanceType": "m5.xlarge", "InstanceCount": count, "Market": market}
    return {**spec, "BidPrice": bid} if bid else spec


def step_spec(name: str) -> dict[str, Any]:
    jar = {"Jar": "command-runner.jar", "Args": ["spark-submit", f"s3://jobs/{name.removeprefix('job-')}.py"]}
    return {"Name": name, "ActionOnFailure": "CONTINUE", "HadoopJarStep": jar}


def cluster_run(emr, name: str = "etl-nightly", *, idle_timeout: int | None = 3600, steps: int = 0) -> str:
    """A kept-alive cluster: MASTER 1, CORE 2 on-demand, TASK 3 spot at 0.10; `steps` command-runner steps."""
    params: dict[str, Any] = {
        "Name": name,
        "ReleaseLabel": "emr-7.2.0",
        "LogUri": "s3://logs/emr/",
        "Applications": [{"Name": "Spark"}, {"Name": "Hive"}],
        "Instances": {
            "InstanceGroups": [
                group("Primary", "MASTER", 1), group("Core", "CORE", 2), group("Task", "TASK", 3, "SPOT", "0.10"),
            ],
            "KeepJobFlowAliveWhenNoSteps": True,
        },
        "Steps": [step_spec(f"job-{i}") for i in range(steps)],
        "JobFlowRole": "EMR_EC2_DefaultRole",
        "ServiceRole": "EMR_DefaultRole",
        "Tags": [{"Key": "team", "Value": "data"}],
    }  # fmt: skip
    if idle_timeout:
        params["AutoTerminationPolicy"] = {"IdleTimeout": idle_timeout}
    return str(emr.run_job_flow(**params)["JobFlowId"])


def groups_by_type(emr, cluster_id: str) -> dict[str, dict[str, Any]]:
    return {g["InstanceGroupType"]: g for g in emr.list_instance_groups(ClusterId=cluster_id)["InstanceGroups"]}


def step_running(aws, emr, cluster_id: str, name: str = "job-0") -> str:
    """Add a step that runs for ten minutes (the delay in force when it is added), the cluster's delay back at 0."""
    requests.post(f"{aws}/fleetui-sandbox/emr", json={"delay": 600}, timeout=10).raise_for_status()
    step_id = emr.add_job_flow_steps(JobFlowId=cluster_id, Steps=[step_spec(name)])["StepIds"][0]
    requests.post(f"{aws}/fleetui-sandbox/emr", json={"delay": 0}, timeout=10).raise_for_status()
    return str(step_id)


@pytest.fixture
def etl(aws, emr) -> str:
    """`etl-nightly` running its one step `job-0`."""
    cluster_id = cluster_run(emr)
    step_running(aws, emr, cluster_id)
    return cluster_id


def sync(owner, resource_type, region=REGION):
    run = sync_scope(account=owner, region=region, resource_type=resource_type)
    assert run.status == "succeeded", run.error
    return run


def sync_all(owner, region=REGION, types=("instances", *EMR_TYPES)):
    return {name: sync(owner, name, region) for name in types}
