"""ecs.scale_service: set a service's desired count, then wait until its running count reaches it.

The run reads the service first, every delivery: when the desired count is already the one asked for (an earlier
delivery set it and then died), it does not call UpdateService again, it only waits. The wait copies the service's
events into the step log and moves the progress bar as the running count approaches the desired one. It ends
when running == desired, or fails after FLEETUI_ECS_SCALE_TIMEOUT seconds (the count stays set: ECS keeps
trying, and the events say why it could not). A cluster or service that disappeared fails the action with AWS's
message and what was done.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from fleetui.actions.common import poll_interval
from fleetui.actions.registry import ActionFailed, ActionInvalid, Confirmation, Operation, operation
from fleetui.aws import ecs_services as aws
from fleetui.ecs.models import Service

from .common import (
    CHANGE_REFUSALS,
    SERVICES,
    ServiceEvents,
    aws_refusal,
    names_of,
    scale_timeout,
    service_read,
    service_refusal,
    services_known,
    tasks_resync,
)
from .forms import ScaleForm

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account

WAIT_FROM, WAIT_TO = 20, 95  # the progress bar's span while the running count moves


class CountChanged(ActionFailed):
    """Someone (or Application Auto Scaling) set another desired count while the action waited."""


def approach(start: int, running: int, want: int) -> int:
    """The progress while the running count moves from `start` toward `want`."""
    if start == want:
        return WAIT_TO if running == want else WAIT_FROM
    share = (running - start) / (want - start)
    return WAIT_FROM + int((WAIT_TO - WAIT_FROM) * min(1.0, max(0.0, share)))


@operation
class ScaleService(Operation):
    kind, label, verb = "ecs.scale_service", "Scale an ECS service", "Scale"
    target_type, min_targets, max_targets = SERVICES, 1, 1
    form_class = ScaleForm
    help = "UpdateService with the new desired count, then wait until the running count reaches it."

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        row = services_known(account=account, region=region, ids=targets)[targets[0]]
        why = service_refusal(row)
        if not why and row.scheduling_strategy == "DAEMON":
            why = (
                f"{row.service_name} uses the DAEMON strategy: ECS runs one task on each container instance, so its "
                "desired count cannot be set. Change the cluster's capacity instead."
            )
        if why:
            raise ActionInvalid(why, field="targets")
        return targets

    def confirmation(
        self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]
    ) -> Confirmation | None:
        """A scale to 0 of a service that runs tasks stops them all: the requester types the service's name."""
        if params.get("desired_count") != 0 or not targets:
            return None
        row = Service.objects.filter(account=account, region=region, service_arn=targets[0]).first()
        if row is None or not (row.running_count or row.desired_count):
            return None
        running = f"its {row.running_count} running task{'s' if row.running_count != 1 else ''}"
        return Confirmation(row.service_name, f"Scaling {row.service_name} to 0 stops {running}")

    def form_notice(
        self, *, account: Account | None, region: str, targets: list[str], params: dict[str, Any]
    ) -> dict[str, Any] | None:
        if account is None or not targets:
            return None
        row = Service.objects.filter(account=account, region=region, service_arn=targets[0]).first()
        return {"template": "ecs/_scale_notice.html", "service": row} if row is not None else None

    def describe(self, action: Action) -> str:
        cluster, name = names_of(action.targets[0])
        return f"Scale {name} (cluster {cluster}) to {action.params.get('desired_count')} task(s)"

    def run(self, ctx: ActionContext) -> None:
        arn, want = ctx.targets[0], int(ctx.params["desired_count"])
        cluster, name = names_of(arn)
        ctx.step(f"Reading {name} in cluster {cluster}", progress=5)
        service = service_read(ctx, arn, done=self._done(ctx))
        if "desired_before" not in ctx.result:
            ctx.note(
                cluster=cluster, service=name, desired_count=want, desired_before=service["desiredCount"],
                running_before=service["runningCount"],
            )  # fmt: skip
        if service["desiredCount"] == want:
            ctx.log(
                f"The desired count of {name} is {want} already"
                + (" (set by an earlier delivery of this action)" if ctx.result.get("set_at") or ctx.resumed else "")
                + ": UpdateService is not called again."
            )
        else:
            ctx.step(f"Setting the desired count of {name} from {service['desiredCount']} to {want}", progress=15)
            try:
                aws.service_scale(account=ctx.account, region=ctx.region, service_arn=arn, desired_count=want)
            except CHANGE_REFUSALS as error:
                raise aws_refusal(error, "The desired count was not changed.") from error
            ctx.note(set_at=timezone.now().isoformat())
        service = self._wait(ctx, arn, want)
        ctx.note(running=service["runningCount"], pending=service["pendingCount"])
        ctx.step(f"Refreshing the tasks of {name} in the inventory", progress=97)
        tasks_resync(ctx, arn)
        ctx.log(f"{name} runs {service['runningCount']} of {want} task(s).")

    @staticmethod
    def _done(ctx: ActionContext) -> str:
        if ctx.result.get("set_at"):
            return f"The desired count had been set to {ctx.result['desired_count']} by this action."
        return "This action had not changed the desired count."

    def _wait(self, ctx: ActionContext, arn: str, want: int) -> dict[str, Any]:
        _, name = names_of(arn)
        start = int(ctx.result.get("running_before", 0))
        ctx.step(f"Waiting until {name} runs {want} task(s)", progress=WAIT_FROM)
        events = ServiceEvents(ctx)
        last: dict[str, Any] = {}

        def reached() -> dict[str, Any] | None:
            service = service_read(ctx, arn, done=self._done(ctx))
            last.update(service)
            events.pump(service)
            if service["desiredCount"] != want:
                raise CountChanged(
                    f"The desired count of {name} was changed to {service['desiredCount']} while this action waited "
                    f"for {want} (someone else, or a scaling policy of Application Auto Scaling). {self._done(ctx)}"
                )
            ctx.progress(approach(start, service["runningCount"], want))
            return service if service["runningCount"] == want else None

        try:
            return ctx.wait(
                reached, what=f"{name} to run {want} task(s)", timeout=scale_timeout(), interval=poll_interval()
            )
        except CountChanged:
            raise
        except ActionFailed:
            raise ActionFailed(
                f"{name} runs {last.get('runningCount', '?')} task(s) ({last.get('pendingCount', '?')} pending) of "
                f"{want} after {scale_timeout()} s (FLEETUI_ECS_SCALE_TIMEOUT). The desired count is set and ECS "
                "keeps trying: the step log holds the service's events (no capacity, an image that cannot be "
                "pulled, failing health checks...)."
            ) from None
