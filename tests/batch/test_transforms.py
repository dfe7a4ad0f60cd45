"""Batch's pure transforms on API-shaped payloads: normalised fields, Fargate without min/desired vCPUs, queue
orders by name made ARNs, epoch milliseconds (0: not happened), and an unchanged item giving identical fields."""

from datetime import UTC, datetime
from decimal import Decimal

from fleetui.aws.batch import JOB_COUNTS_KEY
from fleetui.aws.query import PARENT_KEY
from fleetui.batch import transforms as t

ARN = "arn:aws:batch:us-east-1:123456789012"
ENV = {
    "computeEnvironmentName": "etl-spot",
    "computeEnvironmentArn": f"{ARN}:compute-environment/etl-spot",
    "ecsClusterArn": "arn:aws:ecs:us-east-1:123456789012:cluster/etl-spot_Batch_1",
    "type": "MANAGED",
    "state": "ENABLED",
    "status": "VALID",
    "statusReason": "ComputeEnvironment Healthy",
    "computeResources": {
        "type": "SPOT", "minvCpus": 0, "desiredvCpus": 16, "maxvCpus": 256, "allocationStrategy":
        "SPOT_CAPACITY_OPTIMIZED", "bidPercentage": 60, "instanceTypes": ["c5.xlarge", "m5.xlarge"],
        "subnets": ["subnet-b", "subnet-a"],
    },
    "tags": {"team": "data"},
}  # fmt: skip
FARGATE = {
    "computeEnvironmentName": "render",
    "computeEnvironmentArn": f"{ARN}:compute-environment/render",
    "type": "MANAGED",
    "state": "DISABLED",
    "status": "INVALID",
    "computeResources": {"type": "FARGATE", "maxvCpus": 32, "subnets": ["subnet-a"]},
}
QUEUE = {
    "jobQueueName": "default",
    "jobQueueArn": f"{ARN}:job-queue/default",
    "priority": 10,
    "state": "ENABLED",
    "status": "VALID",
    "computeEnvironmentOrder": [
        {"order": 2, "computeEnvironment": "etl-ondemand"},
        {"order": 1, "computeEnvironment": f"{ARN}:compute-environment/etl-spot"},
    ],
    "tags": {},
    JOB_COUNTS_KEY: {"RUNNABLE": 3, "RUNNING": 1},
}
JOB = {
    "jobId": "0f1e",
    "jobArn": f"{ARN}:job/0f1e",
    "jobName": "backfill",
    "jobQueue": f"{ARN}:job-queue/default",
    "status": "FAILED",
    "statusReason": "Essential container in task exited",
    "createdAt": 1_700_000_000_123,
    "startedAt": 0,
    "stoppedAt": 1_700_000_100_000,
    "jobDefinition": f"{ARN}:job-definition/nightly-etl:3",
    "container": {"exitCode": 1},
    "attempts": [{"container": {"exitCode": 1}}],
    "dependsOn": [{"jobId": "b"}, {"jobId": "a"}],
    "tags": {"team": "data"},
}


def test_a_spot_environment():
    fields = t.compute_environment_fields(ENV)
    assert (fields["name"], fields["type"], fields["resource_type"], fields["state"], fields["status"]) == (
        "etl-spot", "MANAGED", "SPOT", "ENABLED", "VALID",
    )  # fmt: skip
    assert (fields["min_vcpus"], fields["desired_vcpus"], fields["max_vcpus"]) == (0, 16, 256)
    assert fields["instance_types"] == ["c5.xlarge", "m5.xlarge"] and fields["subnets"] == ["subnet-a", "subnet-b"]
    assert (fields["allocation_strategy"], fields["bid_percentage"]) == ("SPOT_CAPACITY_OPTIMIZED", 60)
    assert fields["tags"] == {"team": "data"} and fields["service_role"] == ""
    assert t.compute_environment_fields(ENV) == fields  # unchanged item, identical fields


def test_a_fargate_environment_has_no_min_or_desired_vcpus():
    fields = t.compute_environment_fields(FARGATE)
    assert (fields["min_vcpus"], fields["desired_vcpus"], fields["max_vcpus"]) == (None, None, 32)
    assert (fields["resource_type"], fields["instance_types"], fields["allocation_strategy"]) == ("FARGATE", [], "")
    assert fields["ecs_cluster_arn"] == "" and fields["bid_percentage"] is None


def test_a_queue_orders_its_environments_by_arn_and_counts_every_status():
    fields = t.job_queue_fields(QUEUE)
    assert fields["compute_environment_order"] == [
        {"order": 1, "compute_environment_arn": f"{ARN}:compute-environment/etl-spot", "name": "etl-spot"},
        {"order": 2, "compute_environment_arn": f"{ARN}:compute-environment/etl-ondemand", "name": "etl-ondemand"},
    ]
    assert fields["job_counts"] == {
        "SUBMITTED": 0, "PENDING": 0, "RUNNABLE": 3, "STARTING": 0, "RUNNING": 1, "SUCCEEDED": 0, "FAILED": 0,
    }  # fmt: skip
    assert (fields["priority"], fields["scheduling_policy_arn"]) == (10, "")


def test_a_job_with_epoch_milliseconds():
    fields = t.job_fields({**JOB, PARENT_KEY: f"{ARN}:job-queue/default"})
    assert fields["created_at"] == datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=UTC)
    assert fields["started_at"] is None  # 0: it never started
    assert fields["stopped_at"] == datetime(2023, 11, 14, 22, 15, tzinfo=UTC)
    assert (fields["job_queue_name"], fields["job_definition_name"], fields["exit_code"]) == (
        "default", "nightly-etl", 1,
    )  # fmt: skip
    assert (fields["attempts"], fields["depends_on"], fields["array_size"]) == (1, ["a", "b"], None)
    assert t.job_fields(JOB)["job_queue_arn"] == f"{ARN}:job-queue/default"  # without the parent: its jobQueue


def test_a_job_definition_reads_resource_requirements_first():
    raw = {
        "jobDefinitionName": "report", "jobDefinitionArn": f"{ARN}:job-definition/report:2", "revision": 2,
        "status": "ACTIVE", "type": "container", "platformCapabilities": ["FARGATE"],
        "containerProperties": {"image": "python:3.12", "vcpus": 4, "memory": 1,
                                "resourceRequirements": [{"type": "VCPU", "value": "0.5"},
                                                         {"type": "MEMORY", "value": "2048"}]},
        "retryStrategy": {"attempts": 2},
    }  # fmt: skip
    fields = t.job_definition_fields(raw)
    assert (fields["vcpus"], fields["memory_mib"], fields["revision"]) == (Decimal("0.50"), 2048, 2)
    assert (fields["platform_capabilities"], fields["retry_attempts"], fields["timeout_seconds"]) == (
        ["FARGATE"], 2, None,
    )  # fmt: skip
