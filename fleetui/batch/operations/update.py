"""batch.update_compute_environment: change a compute environment's vCPU settings and/or its state, and follow Batch
until the environment is VALID again.

What each kind of environment takes (Batch API reference, ComputeResourceUpdate):
- MANAGED on EC2 or SPOT: minvCpus, desiredvCpus, maxvCpus and the state. AWS takes no desiredvCpus below the current
  one (Batch scales in by itself, toward the minimum, when the queues are idle);
- MANAGED on FARGATE or FARGATE_SPOT: maxvCpus and the state only (AWS: "minvCpus is not applicable for Fargate");
- UNMANAGED: the state only (you run its instances yourself).
These are refused when the action is requested (from the inventory) and again when it runs (from AWS).

The run reads AWS first, so a redelivered action continues instead of repeating: an update this action already
sent (`sent_at` in the result) is only waited on; settings already in place are not sent again; an update of
someone else's in progress (UPDATING) is waited out first. Then UpdateComputeEnvironment, and
DescribeComputeEnvironments until the status is VALID (INVALID fails the action with Batch's statusReason), with each
change of status, vCPUs and instances in the step log; FLEETUI_BATCH_UPDATE_TIMEOUT bounds the wait. An
environment that disappeared fails the action with AWS's message and what was done. The environment and its EC2
instances (those tagged AWSBatchServiceTag=<name>, before and after) are re-synced when the action ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from fleetui.actions.common import poll_interval, setting_int
from fleetui.actions.models import ActionLogEntry
from fleetui.actions.registry import ActionFailed, ActionInvalid, Operation, known_rows, operation
from fleetui.aws import AwsError, AwsInvalidRequest, AwsNotFound
from fleetui.aws import batch_environments as aws
from fleetui.batch.models import ComputeEnvironment

from .forms import UpdateComputeEnvironmentForm

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account

ENVIRONMENTS = "batch_compute_environments"  # this app's resource type (sync.SYNCS)
INSTANCES = "instances"  # EC2's resource type: the instances Batch launched for the environment
VCPUS = (("min_vcpus", "minvCpus"), ("desired_vcpus", "desiredvCpus"), ("max_vcpus", "maxvCpus"))
FARGATE = frozenset({"FARGATE", "FARGATE_SPOT"})
# Batch changes no environment being created or deleted.
UNCHANGEABLE = frozenset({"CREATING", "DELETING", "DELETED"})
LIVE = ("pending", "running")  # EC2 states of an instance that counts toward the environment's capacity
DEFAULT_TIMEOUT = 900  # s: a vCPU or state change is applied within minutes; an infrastructure update takes longer


def update_timeout() -> int:
    """How long the action waits for the environment to be VALID again: the setting FLEETUI_BATCH_UPDATE_TIMEOUT
    when a deployment's settings define it, else the environment variable of that name, else 15 min."""
    return setting_int("FLEETUI_BATCH_UPDATE_TIMEOUT", DEFAULT_TIMEOUT)


def vcpus_of(params: dict[str, Any]) -> dict[str, int]:
    """The vCPU settings the action's parameters ask for, in ComputeResourceUpdate's names (only those given)."""
    return {api: int(params[name]) for name, api in VCPUS if params.get(name) is not None}


def shown(vcpus: dict[str, Any]) -> str:
    """vCPU settings as the step log says them: min 0 / desired 4 / max 16 (only those present)."""
    words = (("minvCpus", "min"), ("desiredvCpus", "desired"), ("maxvCpus", "max"))
    return " / ".join(f"{word} {vcpus[key]}" for key, word in words if vcpus.get(key) is not None) or "no vCPUs"


def refusal(*, name: str, env_type: str, resource_type: str, now: dict[str, Any], want: dict[str, int]) -> str:
    """Why Batch would refuse these vCPU settings for this environment, or "". `now` holds its current settings
    (ComputeResourceUpdate's names); the settings not asked for stay as they are and must still fit."""
    if not want:
        return ""
    if env_type == "UNMANAGED":
        return (
            f"{name} is an UNMANAGED environment: you run its instances yourself and Batch keeps no vCPU settings "
            "for it. Only its state can be changed."
        )
    if resource_type in FARGATE and ("minvCpus" in want or "desiredvCpus" in want):
        return (
            f"{name} runs on {resource_type}, which has no minimum or desired vCPUs (AWS: minvCpus is not applicable "
            "for Fargate). Only its maximum vCPUs and its state can be changed."
        )
    merged = {key: want.get(key, now.get(key)) for _, key in VCPUS}
    low, desired, high = merged["minvCpus"], merged["desiredvCpus"], merged["maxvCpus"]
    if low is not None and high is not None and low > high:
        return f"The minimum vCPUs of {name} would be {low}, above its maximum of {high}."
    if desired is not None and "desiredvCpus" in want:
        if low is not None and desired < low:
            return f"The desired vCPUs ({desired}) of {name} would be below its minimum of {low}."
        if high is not None and desired > high:
            return f"The desired vCPUs ({desired}) of {name} would be above its maximum of {high}."
        current = now.get("desiredvCpus")
        if current is not None and desired < current:
            return (
                f"{name} runs {current} desired vCPUs now, and AWS takes no desired vCPUs below the current value. "
                "Lower its maximum (or minimum) instead: Batch scales in by itself when the queues are idle."
            )
    return ""


def settings_of(environment: dict[str, Any]) -> dict[str, Any]:
    """An environment's current vCPU settings and state, from DescribeComputeEnvironments."""
    resources = environment.get("computeResources") or {}
    return {key: resources.get(key) for _, key in VCPUS} | {"state": environment.get("state", "")}


@operation
class UpdateComputeEnvironment(Operation):
    kind, label, verb = "batch.update_compute_environment", "Update a compute environment", "Update"
    target_type, min_targets, max_targets = ENVIRONMENTS, 1, 1
    form_class = UpdateComputeEnvironmentForm
    help = (
        "UpdateComputeEnvironment with new minimum, desired and maximum vCPUs and/or a new state, then wait until "
        "Batch reports the environment VALID."
    )

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        row: ComputeEnvironment = known_rows(ComputeEnvironment, account=account, region=region, ids=targets)[
            targets[0]
        ]
        why = ""
        if row.status in UNCHANGEABLE:
            why = f"{row.name} is {row.status} in the inventory: Batch changes no environment being created or deleted."
        why = why or refusal(
            name=row.name, env_type=row.type, resource_type=row.resource_type, want=vcpus_of(params),
            now={"minvCpus": row.min_vcpus, "desiredvCpus": row.desired_vcpus, "maxvCpus": row.max_vcpus},
        )  # fmt: skip
        if why:
            raise ActionInvalid(why + " Sync AWS Batch if the inventory is out of date.", field="targets")
        return targets

    def form_notice(
        self, *, account: Account | None, region: str, targets: list[str], params: dict[str, Any]
    ) -> dict[str, Any] | None:
        if account is None or len(targets) != 1:
            return None
        row = ComputeEnvironment.objects.filter(account=account, region=region, compute_environment_arn=targets[0])
        found = row.first()
        return {"template": "batch/_update_notice.html", "environment": found} if found is not None else None

    def touched(self, action: Action) -> dict[str, list[str]]:
        instances = list(action.result.get("instance_ids", []))
        return {ENVIRONMENTS: list(action.targets), **({INSTANCES: instances} if instances else {})}

    def describe(self, action: Action) -> str:
        name = aws.environment_name(action.targets[0]) if action.targets else "?"
        asked = [shown(vcpus_of(action.params))] if vcpus_of(action.params) else []
        asked += [action.params["state"]] if action.params.get("state") else []
        return f"Update {name}: {', '.join(asked)}"

    def run(self, ctx: ActionContext) -> None:
        arn = ctx.targets[0]
        name = aws.environment_name(arn)
        want, state = vcpus_of(ctx.params), str(ctx.params.get("state") or "")
        ctx.step(f"Reading {name}", progress=5)
        environment = self._read(ctx, arn)
        self._instances(ctx, name)
        if ctx.result.get("sent_at"):
            ctx.log(f"The update of {name} was sent by an earlier delivery: waiting on it, not sending it again.")
        else:
            environment = self._prepare(ctx, arn, environment, want, state)
            if not self._applied(environment, want, state):
                self._send(ctx, arn, environment, want, state)
            elif environment.get("status") == "UPDATING":
                ctx.log(f"{name} is being updated to {self._target(want, state)} already: waiting, not sending again.")
            else:
                ctx.note(outcome="already applied", after=settings_of(environment))
                ctx.log(f"{name} is at {self._target(want, state)} already: UpdateComputeEnvironment is not called.")
                return
        environment = self._wait(ctx, arn, want, state)
        count = self._instances(ctx, name)
        after = settings_of(environment)
        ctx.note(after=after, status=environment.get("status", ""), instances=count)
        ctx.log(
            f"{name} is {environment.get('status')} and {after['state']} at {shown(after)}, with {count} instance(s)."
        )
        if want and not self._applied(environment, {k: v for k, v in want.items() if k != "desiredvCpus"}, state):
            ctx.log(
                f"{name} shows {shown(after)}, not the {shown(want)} asked for: someone changed it again meanwhile.",
                level=ActionLogEntry.Level.WARNING,
            )

    def _read(self, ctx: ActionContext, arn: str) -> dict[str, Any]:
        """DescribeComputeEnvironments; an environment that is gone fails the action with what was done."""
        try:
            return aws.environment_describe(account=ctx.account, region=ctx.region, environment=arn)
        except AwsNotFound as gone:
            raise ActionFailed(f"{gone}. {self._done(ctx)}") from gone

    @staticmethod
    def _done(ctx: ActionContext) -> str:
        if ctx.result.get("sent_at"):
            return "This action had sent its update (UpdateComputeEnvironment)."
        return "Nothing was changed by this action."

    @staticmethod
    def _target(want: dict[str, int], state: str) -> str:
        return ", ".join(([shown(want)] if want else []) + ([state] if state else []))

    @staticmethod
    def _applied(environment: dict[str, Any], want: dict[str, int], state: str) -> bool:
        now = settings_of(environment)
        return all(now.get(key) == value for key, value in want.items()) and (not state or now["state"] == state)

    def _prepare(
        self, ctx: ActionContext, arn: str, environment: dict[str, Any], want: dict[str, int], state: str
    ) -> dict[str, Any]:
        """Checks the live environment before anything is sent; waits out an update already in progress (unless it
        is this very change). Returns the environment as it is now."""
        name = aws.environment_name(arn)
        if environment.get("status") == "UPDATING" and not self._applied(environment, want, state):
            ctx.step(f"Waiting for the update of {name} already in progress to end first", progress=10)
            self._until_settled(ctx, arn, what=f"the earlier update of {name} to end")
            environment = self._read(ctx, arn)
        why = refusal(
            name=name, env_type=environment.get("type", ""), want=want, now=settings_of(environment),
            resource_type=(environment.get("computeResources") or {}).get("type", ""),
        )  # fmt: skip
        if environment.get("status") in UNCHANGEABLE:
            why = f"DescribeComputeEnvironments says {name} is {environment.get('status')}."
        if why:
            raise ActionFailed(f"{why} Nothing was changed by this action.")
        return environment

    def _send(
        self, ctx: ActionContext, arn: str, environment: dict[str, Any], want: dict[str, int], state: str
    ) -> None:
        name = aws.environment_name(arn)
        before = settings_of(environment)
        ctx.note(before=before, before_status=environment.get("status", ""))
        changes = [f"{shown(before)} -> {shown(want)}"] if want else []
        changes += [f"{before['state']} -> {state}"] if state else []
        ctx.step(f"Updating {name}: {'; '.join(changes)}", progress=15)
        try:
            aws.environment_update(account=ctx.account, region=ctx.region, environment=arn, vcpus=want, state=state)
        except (AwsNotFound, AwsInvalidRequest) as refused:
            raise ActionFailed(f"{refused}. Nothing was changed by this action.") from refused
        ctx.note(sent_at=timezone.now().isoformat())
        ctx.log(f"Batch accepted the update of {name}.")

    def _instances(self, ctx: ActionContext, name: str) -> int:
        """The number of the environment's EC2 instances pending or running (those tagged AWSBatchServiceTag=<name>);
        every instance id seen is kept in the result, so the action's re-sync refreshes the ones it launched and the
        ones it ended. A failed read is logged once and counts nothing: the count is progress, not the goal."""
        if ctx.result.get("instances_unreadable"):
            return 0
        try:
            found = aws.environment_instances(account=ctx.account, region=ctx.region, name=name)
        except AwsError as error:
            ctx.note(instances_unreadable=True)
            ctx.log(f"Could not count the instances of {name}: {error}.", level=ActionLogEntry.Level.WARNING)
            return 0
        seen = set(ctx.result.get("instance_ids", []))
        if not set(found) <= seen:
            ctx.note(instance_ids=sorted(seen | set(found)))
        return sum(1 for state in found.values() if state in LIVE)

    def _until_settled(self, ctx: ActionContext, arn: str, *, what: str, watch: Any = None) -> dict[str, Any]:
        """DescribeComputeEnvironments until the status is no longer UPDATING (nor CREATING); returns the
        environment. Times out after FLEETUI_BATCH_UPDATE_TIMEOUT."""

        def settled() -> dict[str, Any] | None:
            environment = self._read(ctx, arn)
            if watch is not None:
                watch(environment)
            return environment if environment.get("status") not in ("UPDATING", "CREATING") else None

        try:
            return ctx.wait(settled, what=what, timeout=update_timeout(), interval=poll_interval())
        except ActionFailed as late:
            if not str(late).startswith("Timed out"):
                raise
            raise ActionFailed(
                f"{late} (FLEETUI_BATCH_UPDATE_TIMEOUT). {self._done(ctx)} Batch goes on without fleetui: sync AWS "
                "Batch to see where it ends."
            ) from None

    def _wait(self, ctx: ActionContext, arn: str, want: dict[str, int], state: str) -> dict[str, Any]:
        name = aws.environment_name(arn)
        ctx.step(f"Waiting until Batch reports {name} VALID", progress=30)
        last: list[Any] = [None]

        def watch(environment: dict[str, Any]) -> None:
            count = self._instances(ctx, name)
            now = settings_of(environment)
            seen = (environment.get("status"), now["state"], shown(now), count)
            if seen != last[0]:
                last[0] = seen
                ctx.log(f"{name}: {seen[0]}, {seen[1]}, {seen[2]}, {count} instance(s).")
            ctx.progress(30 if environment.get("status") == "UPDATING" else 90)

        environment = self._until_settled(ctx, arn, what=f"{name} to be VALID", watch=watch)
        if environment.get("status") != "VALID":
            raise ActionFailed(
                f"Batch reports {name} {environment.get('status')}: "
                f"{environment.get('statusReason') or 'no reason given'}. {self._done(ctx)}"
            )
        return environment
