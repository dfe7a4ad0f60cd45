"""ecs.stop_task: stop one or more tasks with a reason AWS keeps (the task's stoppedReason), and wait until they
are STOPPED.

Each delivery reads the tasks first (DescribeTasks): one already STOPPED is skipped, one already stopping
(desiredStatus STOPPED) is only waited for, so a redelivery calls StopTask only for tasks still running. A task
that no longer exists (DescribeTasks' failure MISSING, or its cluster gone: ClusterNotFoundException) is recorded
as failed with AWS's words; the others go ahead and the action fails at the end, listing each task's outcome.
A task of a service is replaced by ECS to keep the desired count: the action says so, and re-syncs the service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fleetui.actions.common import poll_interval, wait_timeout
from fleetui.actions.registry import ActionFailed, ActionInvalid, Operation, known_rows, operation
from fleetui.aws import ecs_services as aws
from fleetui.ecs.models import Task

from .common import CHANGE_REFUSALS, SERVICES, TASKS, names_of
from .forms import StopTaskForm

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account

STOPPED = "STOPPED"


def service_arn_of(task_arn: str, group: str) -> str:
    """The ARN of the service a task belongs to (its group is "service:<name>"), or "" for a standalone task."""
    if not group.startswith("service:"):
        return ""
    cluster, _ = names_of(task_arn)
    prefix = task_arn.split(":task/", 1)[0]
    return f"{prefix}:service/{cluster}/{group.removeprefix('service:')}"


@operation
class StopTask(Operation):
    kind, label, verb = "ecs.stop_task", "Stop ECS tasks", "Stop"
    target_type, min_targets, max_targets = TASKS, 1, 100
    form_class = StopTaskForm
    help = "StopTask with the reason, then wait until the tasks are STOPPED. A service starts replacements."

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        rows = known_rows(Task, account=account, region=region, ids=targets)
        if all(row.last_status == STOPPED for row in rows.values()):
            raise ActionInvalid(
                f"{'The task is' if len(targets) == 1 else 'Every task is'} STOPPED already: there is nothing to stop.",
                field="targets",
            )
        return targets

    def touched(self, action: Action) -> dict[str, list[str]]:
        groups = Task.objects.filter(
            account=action.account, region=action.region, task_arn__in=action.targets
        ).values_list("task_arn", "group")
        services = sorted({arn for arn in (service_arn_of(t, g) for t, g in groups) if arn})
        return {TASKS: list(action.targets), **({SERVICES: services} if services else {})}

    def describe(self, action: Action) -> str:
        count = len(action.targets)
        return f"Stop {count} ECS task{'s' if count != 1 else ''}" + (
            f" ({names_of(action.targets[0])[1]})" if count == 1 else ""
        )

    @staticmethod
    def stop_reason(action: Action) -> str:
        """The reason sent to AWS: the one given, else the action's reason with who asked and the action's id."""
        given = str(action.params.get("reason", "")).strip()
        who = f"fleetui action #{action.pk} by {action.requested_by.get_username()}"
        return given or (f"{action.reason} ({who})" if action.reason else f"Stopped by {who}")

    def run(self, ctx: ActionContext) -> None:
        ctx.step(f"Reading {len(ctx.targets)} task(s)", progress=5)
        found, missing = aws.tasks_describe(account=ctx.account, region=ctx.region, task_arns=ctx.targets)
        outcome: dict[str, str] = {}
        todo, waiting = [], []
        for arn in ctx.targets:
            task = found.get(arn)
            if task is None:
                outcome[arn] = f"failed: not found in AWS ({missing.get(arn, 'MISSING')})"
            elif task.get("lastStatus") == STOPPED:
                outcome[arn] = "already stopped"
            elif task.get("desiredStatus") == STOPPED:
                waiting.append(arn)  # an earlier delivery (or someone else) stopped it: only wait
            else:
                todo.append(arn)
        ctx.note(tasks=outcome)
        if todo:
            reason = self.stop_reason(ctx.action)
            ctx.step(f"Stopping {len(todo)} task(s): {reason}", progress=15)
            for arn in todo:
                try:
                    aws.task_stop(account=ctx.account, region=ctx.region, task_arn=arn, reason=reason)
                except CHANGE_REFUSALS as error:
                    outcome[arn] = f"failed: {error}"
                    continue
                waiting.append(arn)
            ctx.note(tasks=outcome, reason=reason)
        if waiting:
            outcome.update(self._wait_stopped(ctx, waiting))
            ctx.note(tasks=outcome)
        replaced = sum(1 for arn in waiting if found.get(arn, {}).get("group", "").startswith("service:"))
        if replaced:
            ctx.log(f"{replaced} of the stopped task(s) belong to a service: ECS starts replacements to keep its count")
        failed = sorted(arn for arn, text in outcome.items() if text.startswith("failed"))
        if failed:
            raise ActionFailed(
                f"{len(failed)} of {len(ctx.targets)} task(s) could not be stopped: "
                + "; ".join(f"{names_of(arn)[1]}: {outcome[arn].removeprefix('failed: ')}" for arn in failed[:10])
                + ". The result lists each task's outcome."
            )

    def _wait_stopped(self, ctx: ActionContext, arns: list[str]) -> dict[str, str]:
        ctx.step(f"Waiting until {len(arns)} task(s) are STOPPED", progress=30)

        def stopped() -> dict[str, str] | None:
            found, _ = aws.tasks_describe(account=ctx.account, region=ctx.region, task_arns=arns)
            # A stopped task stays listed for about an hour; one no longer listed has stopped too.
            there = [arn for arn in arns if found.get(arn, {}).get("lastStatus", STOPPED) == STOPPED]
            ctx.progress(30 + 65 * len(there) // len(arns))
            return dict.fromkeys(arns, "stopped") if len(there) == len(arns) else None

        return ctx.wait(stopped, what="the tasks to be STOPPED", timeout=wait_timeout(), interval=poll_interval())
