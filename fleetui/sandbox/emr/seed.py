"""The EMR part of the demo, through plain boto3 calls against the sandbox (account 123456789012).

- `etl-nightly` (us-east-1, emr-7.2.0, Spark and Hive): MASTER 1 x m5.xlarge and CORE 2 x r5.xlarge ON_DEMAND,
  TASK 4 x m5.xlarge SPOT with a bid price of 0.10; an idle timeout of one hour; steps COMPLETED, FAILED, RUNNING
  and PENDING (so it is RUNNING).
- `presto-adhoc` (eu-west-1, emr-6.15.0, Trino and Hadoop): MASTER 1 x m5.large, CORE 2 x m5.large, TASK 2 x
  m5.large SPOT without a bid price (capped at the on-demand price); no auto-termination at all, WAITING with no
  step for five hours (its last step completed then): both findings. moto has no instance fleets, so it runs on
  groups.
- `hbase-archive` (us-east-1, emr-6.10.0, HBase): MASTER and CORE only, termination protected, no step, kept
  alive: WAITING since it was ready, without auto-termination.
A cluster is seeded only when its region is one of the demo's. Every group's instances are real running EC2
instances, tagged as EMR tags them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import requests

from ..seed import DemoSeed
from .extensions import BACKDATE_PATH, CONTROL_PATH

ACCOUNT = "123456789012"
_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def _group(name: str, role: str, kind: str, count: int, market: str = "ON_DEMAND", bid: str = "") -> dict[str, Any]:
    group: dict[str, Any] = {
        "Name": name, "InstanceRole": role, "InstanceType": kind, "InstanceCount": count, "Market": market,
    }  # fmt: skip
    if bid:
        group["BidPrice"] = bid
    return group


def _step(name: str, *args: str, on_failure: str = "CONTINUE") -> dict[str, Any]:
    return {
        "Name": name,
        "ActionOnFailure": on_failure,
        "HadoopJarStep": {"Jar": "command-runner.jar", "Args": list(args)},
    }


# (region, name, release, applications, groups, keep alive, idle timeout, protected, tags, [(step, pinned state)])
DEMO_CLUSTERS: list[dict[str, Any]] = [
    {
        "region": "us-east-1",
        "name": "etl-nightly",
        "release": "emr-7.2.0",
        "applications": ["Spark", "Hive"],
        "groups": [
            _group("Primary", "MASTER", "m5.xlarge", 1),
            _group("Core", "CORE", "r5.xlarge", 2),
            _group("Task - spot", "TASK", "m5.xlarge", 4, "SPOT", "0.10"),
        ],
        "idle_timeout": 3600,
        "protected": False,
        "tags": {"team": "data", "env": "prod"},
        "steps": [
            (_step("ingest-orders", "spark-submit", "s3://etl/jobs/ingest.py"), "COMPLETED", 6, 5),
            (_step("dedupe-customers", "spark-submit", "s3://etl/jobs/dedupe.py"), "FAILED", 5, 4.5),
            (_step("build-marts", "hive-script", "--run-hive-script", "s3://etl/hql/marts.q"), "RUNNING", 1, None),
            (_step("export-reports", "spark-submit", "s3://etl/jobs/export.py"), "PENDING", None, None),
        ],
    },
    {
        "region": "eu-west-1",
        "name": "presto-adhoc",
        "release": "emr-6.15.0",
        "applications": ["Trino", "Hadoop"],
        "groups": [
            _group("Primary", "MASTER", "m5.large", 1),
            _group("Core", "CORE", "m5.large", 2),
            _group("Task - spot", "TASK", "m5.large", 2, "SPOT"),
        ],
        "idle_timeout": None,
        "protected": False,
        "tags": {"team": "analytics", "env": "adhoc"},
        "steps": [(_step("warm-cache", "trino-cli", "-f", "s3://adhoc/warm.sql"), "COMPLETED", 6, 5)],
        "ready_hours": 8,
    },
    {
        "region": "us-east-1",
        "name": "hbase-archive",
        "release": "emr-6.10.0",
        "applications": ["HBase", "Hadoop"],
        "groups": [_group("Primary", "MASTER", "m5.large", 1), _group("Core", "CORE", "r5.large", 3)],
        "idle_timeout": None,
        "protected": True,
        "tags": {"team": "platform", "env": "prod"},
        "steps": [],
        "ready_hours": 30,
    },
]
FAILED_MESSAGE = "Step failed with exitCode 1: Job aborted due to stage failure (see the step's stderr)."


def emr_seed(*, endpoint: str, regions: list[str]) -> dict[str, Any]:
    """Seed the EMR demo into the running sandbox (no reset): the delay is 0 while seeding, then restored, and the
    times and step states above are pinned (backdate). Returns counts (clusters, groups, steps, instances)."""
    before = requests.get(endpoint + CONTROL_PATH, timeout=10).json()
    requests.post(endpoint + CONTROL_PATH, json={"delay": 0}, timeout=10).raise_for_status()
    counts = {"clusters": 0, "groups": 0, "steps": 0, "instances": 0}
    now = datetime.now(UTC)
    try:
        for spec in DEMO_CLUSTERS:
            if spec["region"] not in regions:
                continue
            emr = boto3.client("emr", region_name=spec["region"], endpoint_url=endpoint, **_KEYS)
            params: dict[str, Any] = {
                "Name": spec["name"],
                "ReleaseLabel": spec["release"],
                "LogUri": f"s3://aws-logs-{ACCOUNT}-{spec['region']}/elasticmapreduce/",
                "Applications": [{"Name": app} for app in spec["applications"]],
                "Instances": {
                    "InstanceGroups": spec["groups"],
                    "KeepJobFlowAliveWhenNoSteps": True,
                    "TerminationProtected": spec["protected"],
                },
                "JobFlowRole": "EMR_EC2_DefaultRole",
                "ServiceRole": "EMR_DefaultRole",
                "VisibleToAllUsers": True,
                "Tags": [{"Key": key, "Value": value} for key, value in spec["tags"].items()],
            }
            if spec["idle_timeout"]:
                params["AutoTerminationPolicy"] = {"IdleTimeout": spec["idle_timeout"]}
            cluster_id = emr.run_job_flow(**params)["JobFlowId"]
            step_ids = []
            if spec["steps"]:
                step_ids = emr.add_job_flow_steps(JobFlowId=cluster_id, Steps=[s[0] for s in spec["steps"]])["StepIds"]
            counts["clusters"] += 1
            counts["groups"] += len(spec["groups"])
            counts["steps"] += len(step_ids)
            counts["instances"] += sum(group["InstanceCount"] for group in spec["groups"])
            _backdate(endpoint, spec, cluster_id, step_ids, now)
    finally:
        requests.post(endpoint + CONTROL_PATH, json={"delay": before["delay"]}, timeout=10).raise_for_status()
    return counts


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _backdate(endpoint: str, spec: dict[str, Any], cluster_id: str, step_ids: list[str], now: datetime) -> None:
    """Ready hours ago (the idle cluster since its last step five hours ago), each step pinned in its state."""
    ready_hours = spec.get("ready_hours", 7)
    steps = {}
    for step_id, (_config, state, started_h, ended_h) in zip(step_ids, spec["steps"], strict=True):
        start = None if started_h is None else now - timedelta(hours=started_h)
        end = None if ended_h is None else now - timedelta(hours=ended_h)
        steps[step_id] = {
            "state": state,
            "start": _iso(start),
            "end": _iso(end),
            "message": FAILED_MESSAGE if state == "FAILED" else None,
        }
    body = {
        "account_id": ACCOUNT,
        "region": spec["region"],
        "cluster": cluster_id,
        "created": _iso(now - timedelta(hours=ready_hours, minutes=9)),
        "ready": _iso(now - timedelta(hours=ready_hours)),
        "steps": steps,
    }
    answer = requests.post(endpoint + BACKDATE_PATH, json=body, timeout=10)
    if not answer.ok:
        raise RuntimeError(f"EMR backdate failed: {answer.text}")


def seed(demo: DemoSeed) -> None:
    """The service hook: the EMR demo in the demo's regions, counted under "emr"; its instances are running EC2
    instances of the fleet too."""
    counts = emr_seed(endpoint=demo.endpoint, regions=demo.regions)
    demo.summary["emr"] = counts
    demo.instances_add(running=counts["instances"])


def describe(summary: dict[str, Any]) -> str:
    """The service hook: EMR's phrase of the seed line."""
    counts = summary["emr"]
    return f"{counts['groups']} EMR instance groups of {counts['clusters']} clusters"
