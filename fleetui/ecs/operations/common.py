"""What the ECS operations share: reading a service that may have disappeared, the service's events in the step
log, the scale time-out, and the re-sync of a service's tasks."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from fleetui.actions.common import setting_int
from fleetui.actions.models import ActionLogEntry
from fleetui.actions.registry import ActionFailed, known_rows
from fleetui.aws import AwsError, AwsInvalidRequest, AwsNotFound
from fleetui.aws import ecs_services as aws
from fleetui.ecs.models import Service, Task
from fleetui.inventory.sync import sync_ids

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fleetui.actions.context import ActionContext
    from fleetui.inventory.models import Account

SERVICES = "ecs_services"  # the inventory resource types (keys of this app's sync.SYNCS)
TASKS = "ecs_tasks"
DEFAULT_SCALE_TIMEOUT = 900  # s: Fargate tasks usually start within a minute or two; EC2 ones may wait for capacity
# Words of ECS service events that say something went wrong (ECS events carry no severity of their own).
TROUBLE = ("unable", "failed", "unhealthy", "error", "insufficient")


def scale_timeout() -> int:
    """How long ecs.scale_service waits for the running count to reach the desired count: the setting
    FLEETUI_ECS_SCALE_TIMEOUT when a deployment's settings define it, else the environment variable of that name,
    else DEFAULT_SCALE_TIMEOUT seconds."""
    return setting_int("FLEETUI_ECS_SCALE_TIMEOUT", DEFAULT_SCALE_TIMEOUT)


def names_of(arn: str) -> tuple[str, str]:
    """(cluster name, service name or task id) of a service or task ARN."""
    return aws.arn_parts(arn)


def services_known(*, account: Account, region: str, ids: Sequence[str]) -> dict[str, Service]:
    """{service ARN: live inventory row}; refuses ARNs the inventory does not hold."""
    return known_rows(Service, account=account, region=region, ids=ids)


def service_refusal(row: Service) -> str:
    """Why ECS would refuse to change this service now, or "" (checked at request time from the inventory)."""
    if row.status != "ACTIVE":
        return (
            f"{row.service_name} in {row.cluster_name} is {row.status}: ECS changes only an ACTIVE service "
            "(a DRAINING or INACTIVE one is being or was deleted)."
        )
    return ""


def service_read(ctx: ActionContext, service_arn: str, *, done: str) -> dict[str, Any]:
    """The service as ECS describes it now. A cluster or service that disappeared, or a service no longer ACTIVE,
    fails the action with AWS's message and `done` (what this action did so far)."""
    try:
        service = aws.service_describe(account=ctx.account, region=ctx.region, service_arn=service_arn)
    except AwsNotFound as error:
        raise ActionFailed(f"{error}. {done}") from error
    if service.get("status") != "ACTIVE":
        cluster, name = names_of(service_arn)
        raise ActionFailed(
            f"DescribeServices says {name} in {cluster} is {service.get('status')}: it is being or was deleted. {done}"
        )
    return service


def aws_refusal(error: AwsError, done: str) -> ActionFailed:
    """An ECS refusal of a change (ClusterNotFoundException, ServiceNotFoundException, ServiceNotActiveException,
    InvalidParameterException) as the action's failure, with AWS's message and what was done."""
    return ActionFailed(f"{error}. {done}")


CHANGE_REFUSALS = (AwsNotFound, AwsInvalidRequest)


def primary_of(service: dict[str, Any]) -> dict[str, Any]:
    """The service's PRIMARY deployment (the one ECS is moving to), or {}."""
    return next((d for d in service.get("deployments", []) if d.get("status") == "PRIMARY"), {})


class ServiceEvents:
    """Copies the service's new ECS events (DescribeServices' `events`: newest first, the last 100) into the step log.

    Where it stopped is kept in the action's result (`events_until`), so a redelivered action goes on from there:
    no event is logged twice and none is lost while no worker ran (unless more than 100 came in between).
    """

    def __init__(self, ctx: ActionContext) -> None:
        self.ctx = ctx
        until = ctx.result.get("events_until")
        started = ctx.action.started_at or timezone.now()
        # From the action's start: the events of the service's earlier life are not this action's.
        self.since: datetime = datetime.fromisoformat(until) if until else started
        self.seen: set[str] = set()

    def pump(self, service: dict[str, Any]) -> None:
        fresh = [
            event
            for event in reversed(service.get("events", []))
            if event["createdAt"] > self.since and event.get("id") not in self.seen
        ]
        for event in fresh:
            self.seen.add(event.get("id", ""))
            message = str(event.get("message", ""))
            level = ActionLogEntry.Level.WARNING if any(w in message.lower() for w in TROUBLE) else None
            self.ctx.log(message, level=level or ActionLogEntry.Level.INFO)
        if fresh:
            self.since = max(event["createdAt"] for event in fresh)
            self.ctx.note(events_until=self.since.isoformat())


def tasks_resync(ctx: ActionContext, service_arn: str) -> None:
    """Re-sync the service's tasks, so the task list shows what the action did: the tasks ECS lists for the service
    now (running and recently stopped) and the ones the inventory still holds as live (a task stopped long ago is
    no longer listed, and the re-sync marks it gone). Another way to the same end is a sync of the whole scope; this
    reads only this service's tasks."""
    cluster, name = names_of(service_arn)
    held = Task.objects.filter(
        account=ctx.action.account, region=ctx.region, gone_at__isnull=True, group=f"service:{name}",
        task_arn__contains=f":task/{cluster}/",
    ).values_list("task_arn", flat=True)  # fmt: skip
    try:
        listed = aws.service_task_arns(account=ctx.account, region=ctx.region, service_arn=service_arn)
        sync_ids(account=ctx.action.account, region=ctx.region, resource_type=TASKS, ids=sorted({*listed, *held}))
    except AwsError as error:
        ctx.log(f"Could not refresh the tasks of {name}: {error}. The next sync will.", level="warning")
