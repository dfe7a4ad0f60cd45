"""ECS calls for actions: read one service (its counts, deployments and events), set its desired count, force a new
deployment, read and stop tasks.

Each takes ARNs in the new format (`arn:aws:ecs:<region>:<acct>:service/<cluster>/<service>`,
`task/<cluster>/<id>`) and derives the cluster from them. Errors come out as fleetui.aws domain errors with AWS's
message and code kept:
- `ClusterNotFoundException`, `ServiceNotFoundException` (AwsNotFound): the cluster or service is gone;
- `ServiceNotActiveException` (AwsInvalidRequest): the service is being deleted (DRAINING) or was (INACTIVE);
- `InvalidParameterException` (AwsInvalidRequest): a request ECS refuses, e.g. a desired count on a DAEMON service.
DescribeServices and DescribeTasks do not fail for ids that do not exist: they list them under `failures` with a
reason (MISSING). `service_describe` turns that into AwsNotFound with AWS's reason; `tasks_describe` returns them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import AwsNotFound, aws_errors

TASKS_PER_CALL = 100  # DescribeTasks takes at most 100 task ARNs.
REASON_LIMIT = 255  # StopTask's reason: "Up to 255 characters are allowed in this message."


def _ecs(account: AccountRef, region: str) -> Any:
    return client_get("ecs", account=account, region=region)


def arn_parts(arn: str) -> tuple[str, str]:
    """(cluster name, last part) of a new-format service or task ARN: `service/<cluster>/<name>` -> (cluster, name).

    An old-format ARN (`service/<name>`, no cluster) gives ("default", name), the cluster ECS assumes then."""
    path = arn.split(":", 5)[-1].split("/")
    return (path[1], path[-1]) if len(path) >= 3 else ("default", path[-1])


def service_describe(*, account: AccountRef, region: str, service_arn: str) -> dict[str, Any]:
    """DescribeServices of one service: its counts, `deployments` (PRIMARY first) and `events` (newest first, at
    most 100). Raises AwsNotFound when the cluster (ClusterNotFoundException) or the service (failure reason
    MISSING) does not exist."""
    cluster, _ = arn_parts(service_arn)
    with aws_errors("DescribeServices"):
        answer = _ecs(account, region).describe_services(cluster=cluster, services=[service_arn])
    if answer.get("services"):
        return dict(answer["services"][0])
    reasons = ", ".join(f.get("reason", "?") for f in answer.get("failures", [])) or "not returned"
    raise AwsNotFound(f"Not found: DescribeServices: {service_arn}: {reasons}", code="MISSING")


def service_scale(*, account: AccountRef, region: str, service_arn: str, desired_count: int) -> dict[str, Any]:
    """UpdateService with a new desiredCount (nothing else changes: no new deployment); returns the service."""
    cluster, _ = arn_parts(service_arn)
    with aws_errors("UpdateService"):
        answer = _ecs(account, region).update_service(cluster=cluster, service=service_arn, desiredCount=desired_count)
    return dict(answer["service"])


def service_redeploy(*, account: AccountRef, region: str, service_arn: str) -> dict[str, Any]:
    """UpdateService with forceNewDeployment and no task definition: a new deployment of the same task definition
    (tasks are replaced, e.g. to pull a moved image tag). Returns the service; its PRIMARY deployment is the new
    one."""
    cluster, _ = arn_parts(service_arn)
    with aws_errors("UpdateService"):
        answer = _ecs(account, region).update_service(cluster=cluster, service=service_arn, forceNewDeployment=True)
    return dict(answer["service"])


def service_task_arns(*, account: AccountRef, region: str, service_arn: str) -> list[str]:
    """The ARNs of the service's tasks, running and recently stopped (ListTasks by serviceName, both statuses)."""
    cluster, name = arn_parts(service_arn)
    client = _ecs(account, region)
    found: list[str] = []
    for status in ("RUNNING", "STOPPED"):
        for page in paginate(client, "list_tasks", "taskArns", cluster=cluster, serviceName=name, desiredStatus=status):
            found += [str(arn) for arn in page]  # ListTasks' page is a list of ARNs, not of dicts
    return sorted(set(found))


def tasks_describe(
    *, account: AccountRef, region: str, task_arns: Sequence[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """({task ARN: DescribeTasks' task}, {task ARN: AWS's failure reason, e.g. MISSING}) for `task_arns`, read per
    cluster, 100 per call. The tasks of a cluster that no longer exists fail with AWS's ClusterNotFoundException
    message."""
    by_cluster: dict[str, list[str]] = defaultdict(list)
    for arn in dict.fromkeys(task_arns):
        by_cluster[arn_parts(arn)[0]].append(arn)
    client = _ecs(account, region)
    found: dict[str, dict[str, Any]] = {}
    failed: dict[str, str] = {}
    for cluster, arns in sorted(by_cluster.items()):
        for start in range(0, len(arns), TASKS_PER_CALL):
            chunk = arns[start : start + TASKS_PER_CALL]
            try:
                with aws_errors("DescribeTasks"):
                    answer = client.describe_tasks(cluster=cluster, tasks=chunk)
            except AwsNotFound as error:  # ClusterNotFoundException: every task of the cluster is gone with it
                failed.update(dict.fromkeys(chunk, str(error)))
                continue
            found.update({task["taskArn"]: task for task in answer.get("tasks", []) if task["taskArn"] in chunk})
            failed.update({f["arn"]: f.get("reason", "?") for f in answer.get("failures", []) if f.get("arn")})
    return found, {arn: reason for arn, reason in failed.items() if arn not in found}


def task_stop(*, account: AccountRef, region: str, task_arn: str, reason: str) -> dict[str, Any]:
    """StopTask with `reason` (shown as the task's stoppedReason; cut to AWS's 255 characters). Returns the task,
    its desiredStatus STOPPED; its lastStatus reaches STOPPED once the containers have stopped."""
    cluster, _ = arn_parts(task_arn)
    with aws_errors("StopTask"):
        answer = _ecs(account, region).stop_task(cluster=cluster, task=task_arn, reason=reason[:REASON_LIMIT])
    return dict(answer["task"])
