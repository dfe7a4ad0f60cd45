"""ecs.force_deployment: a new deployment of a service with the same task definition, followed to its end.

UpdateService with forceNewDeployment replaces every task of the service (to pick up a moved image tag, new
secrets, or to get off a bad host). The run waits for the new PRIMARY deployment's rolloutState: COMPLETED ends the
action, FAILED fails it with ECS's rolloutStateReason (with the deployment circuit breaker's rollback on, ECS is
then rolling back to the last completed deployment).

Forcing is not idempotent (each call starts another deployment), so it is made so here: the deployment's id is
recorded right after the call, and a redelivery that finds no id recorded but a PRIMARY deployment created after
the action started takes it as its own (the earlier delivery died between the call and the record) instead of
forcing another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fleetui.actions.common import poll_interval, wait_timeout
from fleetui.actions.registry import ActionFailed, ActionInvalid, Operation, operation
from fleetui.aws import ecs_services as aws

from .common import (
    CHANGE_REFUSALS,
    SERVICES,
    ServiceEvents,
    aws_refusal,
    names_of,
    primary_of,
    service_read,
    service_refusal,
    services_known,
    tasks_resync,
)

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account

ENDED = ("COMPLETED", "FAILED")


@operation
class ForceDeployment(Operation):
    kind, label, verb = "ecs.force_deployment", "Force a new deployment", "Redeploy"
    target_type, min_targets, max_targets = SERVICES, 1, 1
    help = (
        "UpdateService with forceNewDeployment: every task is replaced by one of the same task definition. Waits "
        "until the rollout is COMPLETED or FAILED."
    )

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        why = service_refusal(services_known(account=account, region=region, ids=targets)[targets[0]])
        if why:
            raise ActionInvalid(why, field="targets")
        return targets

    def describe(self, action: Action) -> str:
        cluster, name = names_of(action.targets[0])
        return f"Force a new deployment of {name} (cluster {cluster})"

    def run(self, ctx: ActionContext) -> None:
        arn = ctx.targets[0]
        cluster, name = names_of(arn)
        ctx.step(f"Reading {name} in cluster {cluster}", progress=5)
        service = service_read(ctx, arn, done=self._done(ctx))
        deployment_id = ctx.result.get("deployment_id") or (self._adopted(ctx, service) if ctx.resumed else "")
        if not deployment_id:
            previous = primary_of(service)
            ctx.note(cluster=cluster, service=name, task_definition=service.get("taskDefinition", ""))
            ctx.step(
                f"Forcing a new deployment of {name} on {service.get('taskDefinition', '').rsplit('/', 1)[-1]}",
                progress=15,
            )
            try:
                service = aws.service_redeploy(account=ctx.account, region=ctx.region, service_arn=arn)
            except CHANGE_REFUSALS as error:
                raise aws_refusal(error, "No deployment was started.") from error
            deployment_id = primary_of(service).get("id", "")
            if not deployment_id or deployment_id == previous.get("id"):
                raise ActionFailed(f"ECS answered without a new PRIMARY deployment of {name}; check the service.")
            ctx.note(deployment_id=deployment_id)
        deployment = self._wait(ctx, arn, deployment_id)
        state, why = deployment.get("rolloutState", ""), deployment.get("rolloutStateReason", "")
        ctx.note(rollout_state=state, rollout_state_reason=why)
        ctx.step(f"Refreshing the tasks of {name} in the inventory", progress=97)
        tasks_resync(ctx, arn)
        if state == "FAILED":
            raise ActionFailed(f"The deployment {deployment_id} of {name} FAILED: {why or 'ECS gave no reason'}.")
        ctx.log(f"The deployment {deployment_id} of {name} is {state}: {why}".rstrip(": "))

    @staticmethod
    def _done(ctx: ActionContext) -> str:
        started = ctx.result.get("deployment_id")
        return f"This action had started the deployment {started}." if started else "No deployment had been started."

    @staticmethod
    def _adopted(ctx: ActionContext, service: dict[str, Any]) -> str:
        """The PRIMARY deployment's id when it was created after this action started (by an earlier delivery that
        died before recording it), else ""."""
        primary, started = primary_of(service), ctx.action.started_at
        if not primary or started is None or primary.get("createdAt") is None or primary["createdAt"] < started:
            return ""
        ctx.log(
            f"The deployment {primary['id']} was created at {primary['createdAt']:%H:%M:%S}, after this action "
            "started (an earlier delivery made it): following it instead of forcing another."
        )
        ctx.note(deployment_id=primary["id"])
        return str(primary["id"])

    def _wait(self, ctx: ActionContext, arn: str, deployment_id: str) -> dict[str, Any]:
        _, name = names_of(arn)
        ctx.step(f"Waiting for the deployment {deployment_id} to roll out", progress=20)
        events = ServiceEvents(ctx)

        def ended() -> dict[str, Any] | None:
            service = service_read(ctx, arn, done=self._done(ctx))
            events.pump(service)
            deployment = next((d for d in service.get("deployments", []) if d.get("id") == deployment_id), None)
            if deployment is None:
                raise ActionFailed(
                    f"The deployment {deployment_id} of {name} is no longer listed: a newer deployment replaced it "
                    "before it ended. The service's events are in the step log."
                )
            desired = max(1, int(deployment.get("desiredCount", 0)))
            ctx.progress(20 + 75 * min(desired, int(deployment.get("runningCount", 0))) // desired)
            if deployment.get("rolloutState") in ENDED:
                return deployment
            # A service without the ECS deployment controller has no rollout state: done once it alone runs.
            if "rolloutState" not in deployment and len(service.get("deployments", [])) == 1:
                done = deployment.get("runningCount") == deployment.get("desiredCount")
                return {**deployment, "rolloutState": "COMPLETED"} if done else None
            return None

        return ctx.wait(
            ended, what=f"the deployment {deployment_id} to end", timeout=wait_timeout(), interval=poll_interval()
        )
