"""The stop -> change -> start cycle shared by ec2.move_placement and ec2.change_type, with the capacity retry.

Some changes need a stopped instance (ModifyInstancePlacement, ModifyInstanceAttribute InstanceType). A
`StopChangeStart` kind works through its targets in bounded batches: stop the running ones, change each (skipping
those already changed: a redelivery repeats nothing), start again only those that were running before.

Before anything changes it records in the result each instance's original value (`original`) and which were
running (`was_running`); after each batch, `batches_done`. Running instances AWS cannot stop (stop_safety.py) are
refused then (`refused`, with each one's reason in `instances`): the rest go ahead, and the action fails at the end
naming them. A redelivered action skips the finished batches and
redoes the interrupted one, whose steps read AWS state first.

When a start fails with InsufficientInstanceCapacity (AwsInsufficientCapacity) it follows AWS's advice: stop the
batch again and start it again, because AWS may then place it on hardware that has room; at most
`capacity_retries` times with a short backoff. If it still fails the action fails naming exactly which instances
are left stopped and where (`left_stopped`), which were not touched (`untouched`), and the action page offers
Retry and Roll back buttons (`page_extra`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms

from fleetui.actions.common import poll_interval, request_url, wait_timeout
from fleetui.actions.context import ActionContext
from fleetui.actions.registry import ActionFailed, ActionInvalid, NoParams, known_rows
from fleetui.aws import AwsError, AwsInsufficientCapacity
from fleetui.aws import ec2_instances as aws_instances
from fleetui.aws import ec2_placement as aws_placement
from fleetui.core.roles import has_role
from fleetui.ec2.models import Instance

from .stop_safety import StopsInstances, stop_refusals

if TYPE_CHECKING:
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account

Placement = dict[str, Any]  # fleetui.aws.ec2_placement.instance_placements' per-instance dict
RUNNING = frozenset({"running", "pending"})
SETTLING = frozenset({"pending", "stopping"})
VALID_ORIGIN = frozenset({"running", "stopped"})  # what a request accepts
RESUMABLE = frozenset({"running", "pending", "stopping", "stopped"})  # what a (re)delivery can work with
MAX_BACKOFF = 30.0


class CycleFields(NoParams):
    """The fields every stop -> change -> start kind takes (mixed into its form)."""

    batch_size = forms.IntegerField(
        min_value=1, max_value=50, initial=10, required=False, help_text="Instances stopped at a time (1-50)."
    )
    capacity_retries = forms.IntegerField(
        min_value=0,
        max_value=5,
        initial=3,
        required=False,
        help_text="When AWS has no capacity to start them: how many times to stop and start the batch again (0-5).",
    )

    def clean_batch_size(self) -> int:
        return self.cleaned_data.get("batch_size") or 10

    def clean_capacity_retries(self) -> int:
        value = self.cleaned_data.get("capacity_retries")
        return 3 if value is None else value


class CapacityExhausted(Exception):
    """Starting `ids` kept failing with InsufficientInstanceCapacity after every retry."""

    def __init__(self, ids: list[str], error: AwsError) -> None:
        super().__init__(str(error))
        self.ids, self.error = ids, error


class ChangeRefused(Exception):
    """AWS refused the change of one instance; the batch is started again before the action fails."""

    def __init__(self, instance_id: str, error: AwsError) -> None:
        super().__init__(str(error))
        self.instance_id, self.error = instance_id, error


def _listed(ids: list[str], limit: int = 20) -> str:
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


class StopChangeStart(StopsInstances):
    """A kind whose change needs stopped instances. Subclasses say what is recorded, wanted and changed."""

    target_type = "instances"
    changed_key: ClassVar[str] = "changed"  # the result key listing the instances changed so far
    doing: ClassVar[str]  # "Moving", for the step log
    past: ClassVar[str]  # "moved", for the per-instance outcome

    def origin(self, now: Placement) -> dict[str, Any]:
        """What to record before changing an instance, to roll back to."""
        raise NotImplementedError

    def goal(self, params: dict[str, Any]) -> tuple[Any, ...]:
        """The parameters that say where the instances go: a Retry has the same goal as its parent."""
        raise NotImplementedError

    def arrived(self, ctx: ActionContext, now: Placement) -> bool:
        raise NotImplementedError

    def change(self, ctx: ActionContext, instance_id: str) -> None:
        raise NotImplementedError

    def where(self, now: Placement) -> str:
        """Where an instance is, in words: "in placement group 'hpc'", "an m5.xlarge"."""
        raise NotImplementedError

    def already_text(self, now: Placement) -> str:
        return f"already {self.where(now)}"

    def done_text(self, ctx: ActionContext) -> str:
        return self.past

    def rollbacks(self, action: Action) -> list[tuple[str, list[str], dict[str, Any]]]:
        """(button label, instance ids, params of the same kind) that put the changed instances back."""
        raise NotImplementedError

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        """Refuses instances the inventory does not hold, and those neither running nor stopped (with their
        state), before anything runs."""
        rows = known_rows(Instance, account=account, region=region, ids=targets)
        wrong = [f"{iid} is {rows[iid].state}" for iid in targets if rows[iid].state not in VALID_ORIGIN]
        if wrong:
            raise ActionInvalid(
                f"{self.label} works on running or stopped instances only: {_listed(wrong)}.", field="targets"
            )
        return targets

    def run(self, ctx: ActionContext) -> None:
        self.prepare(ctx)
        size = int(ctx.params.get("batch_size") or 10)
        refused = set(ctx.result.get("refused", []))
        batches = aws_instances.chunks([iid for iid in ctx.targets if iid not in refused], size)
        for number, batch in enumerate(batches, 1):
            if number <= ctx.result.get("batches_done", 0):
                ctx.log(f"Batch {number} of {len(batches)} was finished by an earlier delivery; not repeating it.")
                continue
            later = [iid for rest in batches[number:] for iid in rest]
            self.batch_run(ctx, batch, label=f"Batch {number} of {len(batches)}", later=later, share=(number, batches))
            ctx.note(batches_done=number)
        if refused:
            raise ActionFailed(
                f"AWS cannot stop {_listed(sorted(refused))}, so they were refused before the call and left as they "
                f"were; the other instances were {self.past}. The result gives each one's reason."
            )

    def prepare(self, ctx: ActionContext) -> None:
        """Record `original` and `was_running` before anything changes (once: a redelivery keeps the first record,
        since by then the instances are no longer as they were)."""
        if "original" in ctx.result:
            ctx.log("Resuming: the original values and the running instances were recorded by an earlier delivery.")
            return
        ctx.step(f"Recording the current placement and state of {len(ctx.targets)} instance(s)", progress=2)
        found = aws_placement.instance_placements(account=ctx.account, region=ctx.region, ids=ctx.targets)
        wrong = [
            f"{iid} is {found[iid]['state']}" if iid in found else f"{iid} is not found"
            for iid in ctx.targets
            if found.get(iid, {}).get("state") not in RESUMABLE
        ]
        if wrong:
            raise ActionFailed(
                f"Nothing was changed: {self.label.lower()} needs running or stopped instances, but {_listed(wrong)}."
            )
        original, left_by_parent = self.inherited(ctx)
        running = [iid for iid in ctx.targets if found[iid]["state"] in RUNNING]
        described = aws_instances.instances_describe(account=ctx.account, region=ctx.region, ids=running)
        refused = stop_refusals(account=ctx.account, region=ctx.region, described=described) if running else {}
        if refused:
            ctx.log(f"Refused before any stop, AWS cannot stop them: {_listed(sorted(refused))}.", level="warning")
        ctx.note(
            original={iid: original.get(iid) or self.origin(found[iid]) for iid in ctx.targets},
            was_running=[i for i in ctx.targets if found[i]["state"] in RUNNING or i in left_by_parent],
            batches_done=0,
            refused=sorted(refused),
            instances=dict(refused),
            **{self.changed_key: []},
        )

    def inherited(self, ctx: ActionContext) -> tuple[dict[str, Any], set[str]]:
        """From the action this one retries or rolls back (its parent, same kind and scope): the instances the
        parent left stopped (they were running: start them again) and, for a Retry (same goal), the parent's
        record of the original values, so a later Roll back still goes to where they really came from."""
        parent = ctx.action.parent
        if parent is None or (parent.kind, parent.account_id, parent.region) != (
            ctx.action.kind,
            ctx.action.account_id,
            ctx.region,
        ):
            return {}, set()
        left = set(parent.result.get("left_stopped", [])) & set(ctx.targets)
        same_goal = self.goal(parent.params) == self.goal(ctx.params)
        return (parent.result.get("original", {}) if same_goal else {}), left

    def batch_run(
        self, ctx: ActionContext, batch: list[str], *, label: str, later: list[str], share: tuple[int, list[Any]]
    ) -> None:
        number, batches = share

        def progress(part: float) -> int:
            return 5 + int(90 * (number - 1 + part) / len(batches))

        ctx.step(f"{label}: reading the state of {_listed(batch)}", progress=progress(0))
        now = self.settle(ctx, batch)
        outcome = ctx.result.setdefault("instances", {})
        todo = [iid for iid in batch if not self.arrived(ctx, now[iid])]
        done_before = set(ctx.result.get(self.changed_key, []))  # by an interrupted delivery: keep "moved"
        outcome.update({iid: self.already_text(now[iid]) for iid in batch if iid not in {*todo, *done_before}})
        running = [iid for iid in todo if now[iid]["state"] in RUNNING]
        if running:
            ctx.step(
                f"{label}: stopping {len(running)} running instance(s): {_listed(running)}", progress=progress(0.2)
            )
            self.stop_and_wait(ctx, running)
        refused = self.change_all(ctx, todo, label=label, progress=progress(0.5)) if todo else None
        to_start = [iid for iid in batch if iid in set(ctx.result.get("was_running", []))]
        try:
            if to_start:
                ctx.step(f"{label}: starting the {len(to_start)} instance(s) that were running", progress=progress(0.7))
                self.start_with_retries(ctx, batch, to_start, label=label)
        except CapacityExhausted as exhausted:
            self.fail_left_stopped(ctx, exhausted, later=later, refused=refused)
        if refused is not None:
            self.fail_refused(ctx, refused, later=later)

    def change_all(self, ctx: ActionContext, todo: list[str], *, label: str, progress: int) -> ChangeRefused | None:
        """Change each instance, noting each one done; on an AWS refusal stop changing and return it (the batch
        is then started again, so a refusal does not leave running instances down)."""
        ctx.step(f"{label}: {self.doing.lower()} {len(todo)} instance(s)", progress=progress)
        changed: list[str] = ctx.result.setdefault(self.changed_key, [])
        outcome = ctx.result["instances"]
        for iid in todo:
            try:
                self.change(ctx, iid)
            except AwsError as error:
                ctx.log(f"AWS refused to change {iid}: {error}", level="error")
                outcome[iid] = f"failed: {error}"
                ctx.note(instances=outcome)
                return ChangeRefused(iid, error)
            if iid not in changed:
                changed.append(iid)
            outcome[iid] = self.done_text(ctx)
            ctx.note(**{self.changed_key: changed, "instances": outcome})
        return None

    def settle(self, ctx: ActionContext, ids: list[str]) -> dict[str, Placement]:
        """Wait until none of `ids` is pending or stopping; their placements then. Fails when one is gone."""

        def check() -> dict[str, Placement] | None:
            now = aws_placement.instance_placements(account=ctx.account, region=ctx.region, ids=ids)
            gone = [iid for iid in ids if now.get(iid, {}).get("state") not in RESUMABLE]
            if gone:
                raise ActionFailed(
                    f"{_listed(gone)} no longer running or stopped (terminated, or not found) while "
                    f"{self.label.lower()} was working on them; the result lists what was done."
                )
            return now if not any(now[iid]["state"] in SETTLING for iid in ids) else None

        return ctx.wait(check, what="the instances to settle", timeout=wait_timeout(), interval=poll_interval())

    def _wait_state(self, ctx: ActionContext, ids: list[str], state: str) -> None:
        def check() -> bool | None:
            states = aws_instances.instance_states(account=ctx.account, region=ctx.region, ids=ids)
            return True if all(states.get(iid) == state for iid in ids) else None

        ctx.wait(check, what=f"{_listed(ids)} to be {state}", timeout=wait_timeout(), interval=poll_interval())

    def stop_and_wait(self, ctx: ActionContext, ids: list[str]) -> None:
        aws_instances.instances_stop(account=ctx.account, region=ctx.region, ids=ids)
        self._wait_state(ctx, ids, "stopped")

    def start_with_retries(self, ctx: ActionContext, batch: list[str], ids: list[str], *, label: str) -> None:
        """Start `ids` and wait until running. On InsufficientInstanceCapacity: stop the batch's instances that did
        start, wait a little longer each time, start again; raises CapacityExhausted after `capacity_retries`."""
        retries = int(ctx.params.get("capacity_retries", 3))
        for attempt in range(retries + 1):
            states = aws_instances.instance_states(account=ctx.account, region=ctx.region, ids=ids)
            try:
                stopped = [iid for iid in ids if states.get(iid) == "stopped"]
                if stopped:
                    aws_instances.instances_start(account=ctx.account, region=ctx.region, ids=stopped)
                self._wait_state(ctx, ids, "running")
                return
            except AwsInsufficientCapacity as error:
                ctx.log(f"{label}: AWS has no capacity to start them ({error}).", level="warning")
                if attempt == retries:
                    raise CapacityExhausted(ids, error) from error
            ctx.step(f"{label}: capacity retry {attempt + 1} of {retries}: stopping the batch again, then starting it")
            # AWS's advice for InsufficientInstanceCapacity: stop them all and start again, so AWS may place them
            # together on hardware that has room (a partial start would pin the group to the full hardware).
            up = self.settle(ctx, ids)
            again = [iid for iid in ids if up[iid]["state"] in RUNNING]
            if again:
                self.stop_and_wait(ctx, again)
            time.sleep(min(poll_interval() * 2**attempt, MAX_BACKOFF))
            ctx.checkpoint()
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def fail_left_stopped(
        self, ctx: ActionContext, exhausted: CapacityExhausted, *, later: list[str], refused: ChangeRefused | None
    ) -> None:
        """Record and say exactly which instances are left stopped, where, and what was not touched."""
        now = aws_placement.instance_placements(account=ctx.account, region=ctx.region, ids=exhausted.ids)
        left = [iid for iid in exhausted.ids if now.get(iid, {}).get("state") == "stopped"]
        outcome = ctx.result["instances"]
        for iid in left:
            outcome[iid] = f"left stopped {self.where(now[iid])}: no capacity to start it"
        ctx.note(left_stopped=left, untouched=later, instances=outcome)
        retries = int(ctx.params.get("capacity_retries", 3))
        where = "; ".join(f"{iid} {self.where(now[iid])}" for iid in left[:20])
        message = (
            f"AWS had no capacity to start {len(left)} instance(s) after {retries} capacity "
            f"retr{'y' if retries == 1 else 'ies'} [{exhausted.error.code}]. Left stopped: {where}"
            f"{' and more (see the result)' if len(left) > 20 else ''}."
        )
        if refused is not None:
            message += f" Before that, AWS refused to change {refused.instance_id}: {refused.error}."
        if later:
            message += f" Not touched (still as they were): {_listed(later)}."
        raise ActionFailed(message + " Retry later, or roll back to the original placement, with the buttons below.")

    def fail_refused(self, ctx: ActionContext, refused: ChangeRefused, *, later: list[str]) -> None:
        ctx.note(untouched=later)
        changed = ctx.result.get(self.changed_key, [])
        raise ActionFailed(
            f"AWS refused to change {refused.instance_id}: {refused.error}. The batch was started again as it was. "
            f"Changed so far: {_listed(changed) or 'none'}." + (f" Not touched: {_listed(later)}." if later else "")
        )

    def page_extra(self, action: Action, user: Any) -> dict[str, Any]:
        """Retry and Roll back buttons on a failed action that left instances stopped, for users who may run it."""
        left = action.result.get("left_stopped") or []
        if action.status != "failed" or not left or not has_role(user, self.role):
            return {}
        retry_ids = list(dict.fromkeys([*left, *action.result.get("untouched", [])]))
        buttons = [{"label": "Retry", "url": self.new_url(action, retry_ids, action.params), "style": "primary"}]
        for label, ids, params in self.rollbacks(action):
            buttons.append({"label": label, "url": self.new_url(action, ids, params), "style": ""})
        return {"buttons": buttons}

    def new_url(self, action: Action, ids: list[str], params: dict[str, Any]) -> str:
        """The form of a new action of this kind on `ids` with `params`, following `action` (its parent)."""
        return request_url(
            self.kind, account_id=action.account.account_id, region=action.region, targets=ids, parent=action.pk,
            params=params,
        )  # fmt: skip

    def rollback_groups(self, action: Action, key: str, *fields: str) -> dict[tuple[Any, ...], list[str]]:
        """The changed instances grouped by their recorded original values (`fields` of `original[id]`)."""
        groups: dict[tuple[Any, ...], list[str]] = defaultdict(list)
        original = action.result.get("original", {})
        for iid in action.result.get(key, []):
            if iid in original:
                groups[tuple(original[iid].get(name) for name in fields)].append(iid)
        return dict(groups)
