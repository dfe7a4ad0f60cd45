"""ec2.start, ec2.stop, ec2.reboot, ec2.terminate on one instance or a selection.

Each run reads the instances' states first and acts only on those in a valid origin state, so a
redelivered action continues where it stopped. The result holds one outcome per instance. The action
fails (after doing what it could) when any instance could not be acted on: not found, in a state the
call does not accept, protected against termination (OperationNotPermitted), or one AWS cannot stop (an
instance-store root, a one-time spot instance: see stop_safety.py).
"""

from __future__ import annotations

from typing import ClassVar

from fleetui.actions.common import poll_interval, wait_timeout
from fleetui.actions.context import ActionContext
from fleetui.actions.registry import ActionFailed, Operation, operation
from fleetui.aws import AwsError
from fleetui.aws import ec2_instances as aws
from fleetui.core.roles import Role

from .stop_safety import StopsInstances, stop_refusals

GONE = {"shutting-down", "terminated"}


class InstanceLifecycle(Operation):
    """A state change of instances: which states it acts on, which mean "already done", what to wait for."""

    target_type = "instances"
    acts_on: ClassVar[frozenset[str]]
    done: ClassVar[frozenset[str]]
    settled: ClassVar[str] = ""  # the state to wait for ("" for none)
    past: ClassVar[str]  # "stopped", for the per-instance outcome
    doing: ClassVar[str]  # "Stopping", for the step log

    def call(self, ctx: ActionContext, ids: list[str]) -> None:
        raise NotImplementedError

    def sort_out(self, ctx: ActionContext, states: dict[str, str]) -> tuple[list[str], dict[str, str]]:
        """(ids to act on, {id: outcome} for the rest)."""
        todo, outcome = [], {}
        for iid in ctx.targets:
            state = states.get(iid)
            if state is None:
                outcome[iid] = "failed: not found in AWS"
            elif state in self.done:
                outcome[iid] = f"already {state}"
            elif state in self.acts_on:
                todo.append(iid)
            else:
                allowed = " or ".join(sorted(self.acts_on))
                outcome[iid] = f"failed: it is {state}; {self.label.lower()} needs {allowed}"
        return todo, outcome

    def run(self, ctx: ActionContext) -> None:
        ctx.step(f"Reading the state of {len(ctx.targets)} instance(s)", progress=5)
        states = aws.instance_states(account=ctx.account, region=ctx.region, ids=ctx.targets)
        todo, outcome = self.sort_out(ctx, states)
        ctx.note(instances=outcome)
        if todo:
            ctx.step(f"{self.doing} {len(todo)} instance(s)", progress=15)
            self.call(ctx, todo)
            # `call` may drop instances refused before the call (their outcome is already noted).
            outcome.update(self.wait_settled(ctx, todo) if self.settled and todo else dict.fromkeys(todo, self.past))
            ctx.note(instances=outcome)
        failed = sorted(iid for iid, text in outcome.items() if text.startswith("failed"))
        if failed:
            raise ActionFailed(
                f"{len(failed)} of {len(ctx.targets)} instance(s) could not be {self.past}: {', '.join(failed[:20])}. "
                "The result lists each instance's outcome."
            )

    def wait_settled(self, ctx: ActionContext, ids: list[str]) -> dict[str, str]:
        ctx.step(f"Waiting until {len(ids)} instance(s) are {self.settled}", progress=30)

        def settled() -> dict[str, str] | None:
            states = aws.instance_states(account=ctx.account, region=ctx.region, ids=ids)
            there = [iid for iid in ids if states.get(iid, self.settled) == self.settled]
            ctx.progress(30 + 60 * len(there) // len(ids))
            return {iid: self.past for iid in ids} if len(there) == len(ids) else None

        return ctx.wait(
            settled, what=f"the instances to be {self.settled}", timeout=wait_timeout(), interval=poll_interval()
        )


@operation
class Start(InstanceLifecycle):
    kind, label, verb, doing, past = "ec2.start", "Start instances", "Start", "Starting", "started"
    acts_on, done, settled = frozenset({"stopped"}), frozenset({"running", "pending"}), "running"

    def call(self, ctx: ActionContext, ids: list[str]) -> None:
        aws.instances_start(account=ctx.account, region=ctx.region, ids=ids)


@operation
class Stop(StopsInstances, InstanceLifecycle):
    """Instances AWS cannot stop are refused per instance before the call; the rest are stopped."""

    kind, label, verb, doing, past = "ec2.stop", "Stop instances", "Stop", "Stopping", "stopped"
    acts_on, done, settled = frozenset({"running", "pending"}), frozenset({"stopped", "stopping"}), "stopped"

    def call(self, ctx: ActionContext, ids: list[str]) -> None:
        described = aws.instances_describe(account=ctx.account, region=ctx.region, ids=ids)
        refused = stop_refusals(account=ctx.account, region=ctx.region, described=described)
        outcome = ctx.result.get("instances", {})
        for iid, text in refused.items():
            outcome[iid] = text
            ids.remove(iid)
        ctx.note(instances=outcome)
        if refused:
            ctx.log(f"Refused before the call, AWS cannot stop them: {', '.join(sorted(refused))}.", level="warning")
        if ids:
            aws.instances_stop(account=ctx.account, region=ctx.region, ids=ids)


@operation
class Reboot(InstanceLifecycle):
    kind, label, verb, doing, past = "ec2.reboot", "Reboot instances", "Reboot", "Rebooting", "rebooted"
    acts_on, done = frozenset({"running"}), frozenset()

    def call(self, ctx: ActionContext, ids: list[str]) -> None:
        aws.instances_reboot(account=ctx.account, region=ctx.region, ids=ids)


@operation
class Terminate(InstanceLifecycle):
    """Termination protection is checked per instance first: protected ones are refused, the rest go ahead."""

    kind, label, verb, doing, past = "ec2.terminate", "Terminate instances", "Terminate", "Terminating", "terminated"
    role, destructive = Role.ADMIN, True
    acts_on, done, settled = frozenset({"running", "pending", "stopped", "stopping"}), frozenset(GONE), "terminated"

    def call(self, ctx: ActionContext, ids: list[str]) -> None:
        protected = [
            iid for iid in ids if aws.termination_protected(account=ctx.account, region=ctx.region, instance_id=iid)
        ]
        outcome = ctx.result.get("instances", {})
        for iid in protected:
            outcome[iid] = "failed: termination protection is on (OperationNotPermitted); turn it off first"
            ids.remove(iid)
        ctx.note(instances=outcome)
        if ids:
            try:
                aws.instances_terminate(account=ctx.account, region=ctx.region, ids=ids)
            except AwsError as error:
                if error.code != "OperationNotPermitted":
                    raise
                raise ActionFailed(f"AWS refused to terminate: {error}") from error
