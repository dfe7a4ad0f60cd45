"""Pure transforms: one AWS Batch Describe* item (boto3's dict) -> the field values of its inventory model.

Each returns exactly the model's synced fields, normalised to what the database gives back (`""` rather than
None, sorted lists where AWS order means nothing), so an unchanged re-sync writes nothing. Batch's tags are a
plain {key: value} map; its job times are epoch milliseconds (0 or absent: not happened). A queue's
computeEnvironmentOrder names environments by ARN or by name (as they were given): both become the ARN.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from fleetui.aws.batch import JOB_COUNTS_KEY, JOB_STATUSES
from fleetui.aws.query import PARENT_KEY


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _int(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


def millis(value: Any) -> datetime | None:
    """An aware UTC datetime from Batch's epoch milliseconds; None for absent, 0 or negative (not happened)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    number = int(value)
    if number <= 0:
        return None
    # Whole milliseconds, as PostgreSQL keeps microseconds: the re-read compares equal.
    return datetime.fromtimestamp(number / 1000, tz=UTC)


def arn_name(arn: str) -> str:
    """The name in a Batch ARN (`...:job-queue/<name>`, `...:job-definition/<name>:<revision>`), or the value."""
    return arn.rsplit("/", 1)[-1].split(":", 1)[0] if "/" in arn else arn


def arn_in_scope(*, like: str, kind: str, name: str) -> str:
    """The ARN of Batch resource `kind`/`name` in the partition, region and account of another Batch ARN."""
    if name.startswith("arn:"):
        return name
    prefix = like.split(":", 5)[:5]
    return ":".join([*prefix, f"{kind}/{name}"])


def compute_environment_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeComputeEnvironments' item -> ComputeEnvironment fields. FARGATE has no min or desired vCPUs."""
    resources = raw.get("computeResources") or {}
    fargate = resources.get("type") in ("FARGATE", "FARGATE_SPOT")
    return {
        "compute_environment_arn": raw["computeEnvironmentArn"],
        "name": raw["computeEnvironmentName"],
        "type": _text(raw.get("type")),
        "resource_type": _text(resources.get("type")),
        "state": _text(raw.get("state")),
        "status": _text(raw.get("status")),
        "status_reason": _text(raw.get("statusReason")),
        "min_vcpus": None if fargate else _int(resources.get("minvCpus")),
        "desired_vcpus": None if fargate else _int(resources.get("desiredvCpus")),
        "max_vcpus": _int(resources.get("maxvCpus")),
        "instance_types": sorted(resources.get("instanceTypes") or []),
        "allocation_strategy": _text(resources.get("allocationStrategy")),
        "bid_percentage": _int(resources.get("bidPercentage")),
        "ecs_cluster_arn": _text(raw.get("ecsClusterArn")),
        "service_role": _text(raw.get("serviceRole")),
        "subnets": sorted(resources.get("subnets") or []),
        "tags": dict(raw.get("tags") or {}),
    }


def _order(raw: dict[str, Any]) -> list[dict[str, Any]]:
    arn = raw["jobQueueArn"]
    entries = [
        {
            "order": int(entry.get("order", 0)),
            "compute_environment_arn": arn_in_scope(
                like=arn, kind="compute-environment", name=_text(entry.get("computeEnvironment"))
            ),
            "name": arn_name(_text(entry.get("computeEnvironment"))),
        }
        for entry in raw.get("computeEnvironmentOrder") or []
    ]
    return sorted(entries, key=lambda entry: (entry["order"], entry["name"]))


def job_queue_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeJobQueues' item (with its job counts, see fleetui.aws.batch) -> JobQueue fields."""
    counts = raw.get(JOB_COUNTS_KEY) or {}
    return {
        "job_queue_arn": raw["jobQueueArn"],
        "name": raw["jobQueueName"],
        "priority": int(raw.get("priority") or 0),
        "state": _text(raw.get("state")),
        "status": _text(raw.get("status")),
        "status_reason": _text(raw.get("statusReason")),
        "compute_environment_order": _order(raw),
        "scheduling_policy_arn": _text(raw.get("schedulingPolicyArn")),
        "job_counts": {status: int(counts.get(status, 0)) for status in JOB_STATUSES} if counts else {},
        "tags": dict(raw.get("tags") or {}),
    }


def _resource(container: dict[str, Any], kind: str) -> str | None:
    for requirement in container.get("resourceRequirements") or []:
        if requirement.get("type") == kind:
            return str(requirement.get("value"))
    return None


def job_definition_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeJobDefinitions' item -> JobDefinition fields (vCPUs and memory from resourceRequirements, else the
    deprecated `vcpus`/`memory`)."""
    container = raw.get("containerProperties") or {}
    vcpus = _resource(container, "VCPU") or container.get("vcpus")
    memory = _resource(container, "MEMORY") or container.get("memory")
    return {
        "job_definition_arn": raw["jobDefinitionArn"],
        "name": raw["jobDefinitionName"],
        "revision": int(raw.get("revision") or 1),
        "status": _text(raw.get("status")),
        "type": _text(raw.get("type")),
        "platform_capabilities": sorted(raw.get("platformCapabilities") or []),
        "image": _text(container.get("image")),
        "vcpus": None if vcpus is None else Decimal(str(vcpus)).quantize(Decimal("0.01")),
        "memory_mib": _int(memory),
        "retry_attempts": _int((raw.get("retryStrategy") or {}).get("attempts")),
        "timeout_seconds": _int((raw.get("timeout") or {}).get("attemptDurationSeconds")),
        "tags": dict(raw.get("tags") or {}),
    }


def _exit_code(raw: dict[str, Any]) -> int | None:
    """The container's exit code, else the last attempt's (AWS gives both; an attempt keeps it after a retry)."""
    code = (raw.get("container") or {}).get("exitCode")
    if code is None and raw.get("attempts"):
        code = ((raw["attempts"][-1] or {}).get("container") or {}).get("exitCode")
    return _int(code)


def job_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeJobs' item -> Job fields. The queue is the parent the fetcher tagged it with, else its jobQueue."""
    queue = _text(raw.get(PARENT_KEY)) or _text(raw.get("jobQueue"))
    definition = _text(raw.get("jobDefinition"))
    array = raw.get("arrayProperties") or {}
    return {
        "job_id": raw["jobId"],
        "job_arn": _text(raw.get("jobArn")),
        "job_queue_arn": queue,
        "job_queue_name": arn_name(queue),
        "name": _text(raw.get("jobName")),
        "status": _text(raw.get("status")),
        "status_reason": _text(raw.get("statusReason")),
        "job_definition_arn": definition,
        "job_definition_name": arn_name(definition),
        "exit_code": _exit_code(raw),
        "attempts": len(raw.get("attempts") or []),
        "array_size": _int(array.get("size")),
        "depends_on": sorted(_text(dep.get("jobId")) for dep in raw.get("dependsOn") or []),
        "created_at": millis(raw.get("createdAt")),
        "started_at": millis(raw.get("startedAt")),
        "stopped_at": millis(raw.get("stoppedAt")),
        "tags": dict(raw.get("tags") or {}),
    }
