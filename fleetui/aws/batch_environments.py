"""AWS Batch calls for actions: read and update a compute environment, read jobs, cancel and terminate them.

Each takes an `AccountRef` and a region and returns plain data. Batch answers every request it refuses with
ClientException (HTTP 400) and AWS's message: an update of an environment that does not exist, a desiredvCpus below
the current one, a minvCpus on Fargate ("minvCpus is not applicable for Fargate"), a job id it does not know. Those
come out as fleetui.aws.AwsInvalidRequest with the message kept. The reads do not fail for names or ids Batch does
not know: DescribeComputeEnvironments and DescribeJobs simply leave them out, so `environment_describe` raises
AwsNotFound saying so, and `jobs_describe` returns only what it found.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import AwsNotFound, aws_errors

JOBS_PER_CALL = 100  # DescribeJobs takes "a list of up to 100 job IDs"
REASON_LIMIT = 1024  # CancelJob's and TerminateJob's reason: "This parameter has a limit of 1024 characters."
# ComputeResourceUpdate's names for the vCPU settings an action may change.
VCPU_KEYS = ("minvCpus", "desiredvCpus", "maxvCpus")
SERVICE_TAG = "AWSBatchServiceTag"  # the tag Batch puts on the EC2 instances it launches: the environment's name


def _batch(account: AccountRef, region: str) -> Any:
    return client_get("batch", account=account, region=region)


def environment_name(arn: str) -> str:
    """The name of a compute environment from its ARN (`...:compute-environment/<name>`)."""
    return arn.rsplit("/", 1)[-1]


def environment_describe(*, account: AccountRef, region: str, environment: str) -> dict[str, Any]:
    """DescribeComputeEnvironments of one environment (its name or ARN): type, state, status, statusReason and, for
    a MANAGED one, computeResources (type, minvCpus, desiredvCpus, maxvCpus...). Raises AwsNotFound when Batch does
    not list it (it was deleted)."""
    with aws_errors("DescribeComputeEnvironments"):
        answer = _batch(account, region).describe_compute_environments(computeEnvironments=[environment])
    found = answer.get("computeEnvironments", [])
    if not found:
        raise AwsNotFound(
            f"Not found: DescribeComputeEnvironments does not list {environment_name(environment)} (it was deleted, "
            "or is in another account or region)",
            code="MISSING",
            operation="DescribeComputeEnvironments",
        )
    return dict(found[0])


def environment_update(
    *, account: AccountRef, region: str, environment: str, vcpus: dict[str, int], state: str = ""
) -> dict[str, Any]:
    """UpdateComputeEnvironment with the vCPU settings in `vcpus` (ComputeResourceUpdate's names, only those given)
    and the `state` (ENABLED or DISABLED; "" leaves it). Returns {computeEnvironmentName, computeEnvironmentArn};
    the environment is UPDATING until Batch has applied the change, then VALID (or INVALID with a statusReason)."""
    params: dict[str, Any] = {"computeEnvironment": environment}
    if vcpus:
        params["computeResources"] = {key: int(vcpus[key]) for key in VCPU_KEYS if key in vcpus}
    if state:
        params["state"] = state
    with aws_errors("UpdateComputeEnvironment"):
        answer = _batch(account, region).update_compute_environment(**params)
    answer.pop("ResponseMetadata", None)
    return dict(answer)


def jobs_describe(*, account: AccountRef, region: str, job_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """{job id: DescribeJobs' job} for `job_ids`, 100 per call. A job Batch no longer knows (finished jobs are kept
    for a limited time) is absent from the answer."""
    client = _batch(account, region)
    unique = list(dict.fromkeys(job_ids))
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(unique), JOBS_PER_CALL):
        chunk = unique[start : start + JOBS_PER_CALL]
        with aws_errors("DescribeJobs"):
            answer = client.describe_jobs(jobs=chunk)
        found.update({job["jobId"]: job for job in answer.get("jobs", []) if job.get("jobId") in chunk})
    return found


def job_cancel(*, account: AccountRef, region: str, job_id: str, reason: str) -> None:
    """CancelJob: a SUBMITTED, PENDING or RUNNABLE job becomes FAILED with `reason` as its statusReason. Batch
    answers success for a job that already reached STARTING or RUNNING and leaves it running: those need
    TerminateJob."""
    with aws_errors("CancelJob"):
        _batch(account, region).cancel_job(jobId=job_id, reason=reason[:REASON_LIMIT])


def job_terminate(*, account: AccountRef, region: str, job_id: str, reason: str) -> None:
    """TerminateJob: a STARTING or RUNNING job is stopped and becomes FAILED with `reason` (one not started yet is
    cancelled)."""
    with aws_errors("TerminateJob"):
        _batch(account, region).terminate_job(jobId=job_id, reason=reason[:REASON_LIMIT])


def environment_instances(*, account: AccountRef, region: str, name: str) -> dict[str, str]:
    """{EC2 instance id: state name} of the instances Batch launched for the environment `name`: Batch tags each
    one `AWSBatchServiceTag=<environment name>`. DescribeInstances filtered by that tag; terminated instances stay
    listed for about an hour, so the ones a scale-in ended are seen too."""
    client = client_get("ec2", account=account, region=region)
    pages = paginate(
        client, "describe_instances", "Reservations", Filters=[{"Name": f"tag:{SERVICE_TAG}", "Values": [name]}]
    )
    return {
        instance["InstanceId"]: str(instance.get("State", {}).get("Name", ""))
        for page in pages
        for reservation in page
        for instance in reservation.get("Instances", [])
    }
