"""emr.resize_group: set a CORE or TASK instance group's instance count, then wait until its running count reaches it.

The run reads AWS first, every delivery: DescribeCluster (a cluster terminating or terminated fails the action with
AWS's reason), then the group (ListInstanceGroups). When the group's requested count already is the one asked for
(an earlier delivery set it and then died, or someone else did), ModifyInstanceGroups is not called again: the run
only waits. The wait logs the group's state and running count as they move (RESIZING, 3 of 5 running) and moves the
progress bar; it ends when the running count is the asked one and the group is no longer RESIZING, or fails after
FLEETUI_EMR_RESIZE_TIMEOUT seconds (the count stays set: EMR goes on). A group EMR ARRESTED (it cannot provision
the instances: spot capacity, a bootstrap action that fails) fails the action with EMR's reason. The group, the
cluster's EMR instances and their EC2 instances are re-synced when the action ends.

Refused before anything is recorded: a MASTER group (EMR cannot resize it), an instance fleet (a fleet has target
capacities, not a count), a group whose cluster is not RUNNING or WAITING in the inventory, and a CORE group asked
for 0. A shrink of a CORE group must be confirmed by typing `SHRINK <cluster> CORE TO <n>`: EMR decommissions the
removed nodes' HDFS DataNodes, and their blocks must be re-replicated onto the nodes left (it waits for that, and a
shrink below the HDFS replication factor cannot complete).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from fleetui.actions.common import poll_interval
from fleetui.actions.models import ActionLogEntry
from fleetui.actions.registry import ActionFailed, ActionInvalid, Confirmation, Operation, known_rows, operation
from fleetui.aws import AwsInvalidRequest, AwsNotFound
from fleetui.aws import emr_clusters as aws
from fleetui.emr.models import EmrCluster, InstanceGroup

from .common import (
    GROUPS,
    cluster_read,
    cluster_shown,
    ended_failure,
    instances_note,
    resize_timeout,
    state_of,
    touched_instances,
    why_ended,
)
from .forms import ResizeGroupForm

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account

WAIT_FROM, WAIT_TO = 20, 95  # the progress bar's span while the running count moves
RESIZING = "RESIZING"
# Group states that end the wait: EMR will not bring the group to the count (ARRESTED: it cannot provision the
# instances; SUSPENDED: stopped; the others: the cluster is ending).
STUCK_STATES = frozenset({"ARRESTED", "SUSPENDED"})
ENDING_GROUP_STATES = frozenset({"TERMINATING", "TERMINATED", "SHUTTING_DOWN", "ENDED"})


class CountChanged(ActionFailed):
    """Someone (or an automatic scaling policy, or EMR managed scaling) set another count while the action waited."""


def approach(start: int, running: int, want: int) -> int:
    """The progress while the running count moves from `start` toward `want`."""
    if start == want:
        return WAIT_TO if running == want else WAIT_FROM
    share = (running - start) / (want - start)
    return WAIT_FROM + int((WAIT_TO - WAIT_FROM) * min(1.0, max(0.0, share)))


def group_label(row: InstanceGroup | None, group_id: str) -> str:
    """How the log names a group: "TASK group spot-tasks (ig-...)"."""
    if row is None:
        return group_id
    return f"{row.group_type} group {row.name or row.group_type.lower()} ({group_id})"


def group_shown(group: dict[str, Any]) -> str:
    """A group's state and counts as EMR reports them: "RESIZING, 3 of 5 running"."""
    return (
        f"{group.get('Status', {}).get('State', '?')}, {group.get('RunningInstanceCount', '?')} of "
        f"{group.get('RequestedInstanceCount', '?')} running"
    )


@operation
class ResizeGroup(Operation):
    kind, label, verb = "emr.resize_group", "Resize an EMR instance group", "Resize"
    target_type, min_targets, max_targets = GROUPS, 1, 1
    form_class = ResizeGroupForm
    help = (
        "ModifyInstanceGroups with the group's new instance count, then wait until its running count reaches it. "
        "A shrink decommissions the removed nodes first (YARN containers; on a core group, HDFS blocks)."
    )

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        row: InstanceGroup = known_rows(InstanceGroup, account=account, region=region, ids=targets)[targets[0]]
        cluster = EmrCluster.objects.filter(account=account, region=region, cluster_id=row.cluster_id).first()
        why = self._refusal(row, cluster)
        if why:
            raise ActionInvalid(why, field="targets")
        if row.group_type == InstanceGroup.GroupType.CORE and params.get("instance_count") == 0:
            raise ActionInvalid(
                f"A core group keeps at least 1 instance: EMR needs a core node in a cluster that has a core group "
                f"(HDFS lives there). Ask for 1 or more, or resize a task group of {row.cluster_name} instead.",
                field="instance_count",
            )
        return targets

    @staticmethod
    def _refusal(row: InstanceGroup, cluster: EmrCluster | None) -> str:
        """Why EMR would refuse to resize this group now, or "" (checked at request time from the inventory)."""
        if row.collection == InstanceGroup.Collection.FLEET:
            return (
                f"{row.instance_group_id} is an instance fleet of {row.cluster_name}: a fleet has on-demand and spot "
                "target capacities, not an instance count (ModifyInstanceFleet), which fleetui does not change."
            )
        if row.group_type == InstanceGroup.GroupType.MASTER:
            return (
                f"{row.instance_group_id} is the primary (MASTER) group of {row.cluster_name}: EMR cannot resize it "
                "(a cluster has one or three primary nodes, fixed when it is created). Resize its CORE or TASK group."
            )
        state = cluster.state if cluster is not None else ""
        if state not in aws.RESIZABLE_CLUSTER_STATES:
            because = (
                f" ({cluster.state_change_message})" if cluster is not None and cluster.state_change_message else ""
            )
            return (
                f"The cluster {row.cluster_name} ({row.cluster_id}) is {state or 'unknown'}{because} in the inventory: "
                "EMR resizes the groups of a RUNNING or WAITING cluster only. Sync EMR if that is out of date."
            )
        return ""

    def confirmation(
        self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]
    ) -> Confirmation | None:
        """A shrink of a core group moves HDFS data: the requester types `SHRINK <cluster> CORE TO <n>`."""
        want = params.get("instance_count")
        if want is None or len(targets) != 1:
            return None
        row = InstanceGroup.objects.filter(
            account=account, region=region, instance_group_id=targets[0], gone_at__isnull=True
        ).first()
        if row is None or row.group_type != InstanceGroup.GroupType.CORE or want >= row.requested_count:
            return None
        return Confirmation(
            f"SHRINK {row.cluster_name} CORE TO {want}",
            f"Shrinking the core group of {row.cluster_name} from {row.requested_count} to {want} decommissions "
            f"{row.requested_count - want} HDFS DataNode(s): their blocks must be re-replicated onto the nodes left "
            "first, which takes time and disk space, and a shrink below the HDFS replication factor cannot complete",
        )

    def form_notice(
        self, *, account: Account | None, region: str, targets: list[str], params: dict[str, Any]
    ) -> dict[str, Any] | None:
        if account is None or len(targets) != 1:
            return None
        row = InstanceGroup.objects.filter(account=account, region=region, instance_group_id=targets[0]).first()
        if row is None:
            return None
        try:
            want: int | None = int(params.get("instance_count", ""))
        except (TypeError, ValueError):
            want = None
        shrink = want is not None and want < row.requested_count
        return {"template": "emr/_resize_notice.html", "group": row, "want": want, "shrink": shrink}

    def touched(self, action: Action) -> dict[str, list[str]]:
        return {GROUPS: list(action.targets), **touched_instances(action.result)}

    def describe(self, action: Action) -> str:
        row = InstanceGroup.objects.filter(instance_group_id=action.targets[0]).first() if action.targets else None
        where = f" of {row.cluster_name}" if row is not None else ""
        return f"Resize {group_label(row, action.targets[0] if action.targets else '?')}{where} to " + (
            f"{action.params.get('instance_count')} instance(s)"
        )

    def run(self, ctx: ActionContext) -> None:
        group_id, want = ctx.targets[0], int(ctx.params["instance_count"])
        row = InstanceGroup.objects.filter(
            account=ctx.action.account, region=ctx.region, instance_group_id=group_id
        ).first()
        if row is None:
            raise ActionFailed(
                f"The inventory no longer holds {group_id}, so its cluster is unknown. Nothing was done."
            )
        cluster_id, label = row.cluster_id, group_label(row, group_id)
        ctx.step(f"Reading {label} of cluster {row.cluster_name} ({cluster_id})", progress=5)
        group = self._read(ctx, cluster_id, group_id)
        if "requested_before" not in ctx.result:
            ctx.note(
                cluster_id=cluster_id, instance_count=want, requested_before=group.get("RequestedInstanceCount", 0),
                running_before=group.get("RunningInstanceCount", 0),
            )  # fmt: skip
        instances_note(ctx, cluster_id, group_id)
        if group.get("RequestedInstanceCount") == want:
            ctx.log(
                f"The requested count of {label} is {want} already"
                + (" (set by an earlier delivery of this action)" if ctx.result.get("set_at") or ctx.resumed else "")
                + ": ModifyInstanceGroups is not called again."
            )
        else:
            ctx.step(f"Resizing {label} from {group.get('RequestedInstanceCount')} to {want} instance(s)", progress=15)
            try:
                aws.instance_group_resize(
                    account=ctx.account, region=ctx.region, cluster_id=cluster_id, group_id=group_id,
                    instance_count=want,
                )  # fmt: skip
            except (AwsInvalidRequest, AwsNotFound) as refused:
                raise ActionFailed(f"EMR refused to resize {label}: {refused}. {self._done(ctx)}") from refused
            ctx.note(set_at=timezone.now().isoformat())
            ctx.log(f"EMR accepted the new count: {want} instance(s).")
        group = self._wait(ctx, cluster_id, group_id, label, want)
        ctx.note(running=group.get("RunningInstanceCount"), state=group.get("Status", {}).get("State", ""))
        ctx.step(f"Refreshing the instances of {label} in the inventory", progress=97)
        instances_note(ctx, cluster_id, group_id)
        ctx.log(
            f"{label} is {group.get('Status', {}).get('State', '?')} with {group.get('RunningInstanceCount')} of "
            f"{want} instance(s) running."
        )

    @staticmethod
    def _done(ctx: ActionContext) -> str:
        if ctx.result.get("set_at"):
            return f"The requested count had been set to {ctx.result['instance_count']} by this action."
        return "This action had not changed the group."

    def _read(self, ctx: ActionContext, cluster_id: str, group_id: str) -> dict[str, Any]:
        """The cluster, then the group, as EMR says now; a cluster that is ending or gone fails the action."""
        cluster = cluster_read(ctx, cluster_id, done=self._done(ctx))
        if state_of(cluster) in aws.ENDING_STATES:
            raise ended_failure(cluster, cluster_id, done=self._done(ctx))
        if state_of(cluster) not in aws.RESIZABLE_CLUSTER_STATES:
            raise ActionFailed(
                f"The cluster {cluster_shown(cluster, cluster_id)} is {state_of(cluster)} ({why_ended(cluster)}): EMR "
                f"resizes the groups of a RUNNING or WAITING cluster only. {self._done(ctx)}"
            )
        try:
            return aws.instance_group_describe(
                account=ctx.account, region=ctx.region, cluster_id=cluster_id, group_id=group_id
            )
        except AwsNotFound as gone:
            raise ActionFailed(f"{gone}. {self._done(ctx)}") from gone

    def _wait(self, ctx: ActionContext, cluster_id: str, group_id: str, label: str, want: int) -> dict[str, Any]:
        start = int(ctx.result.get("running_before", 0))
        ctx.step(f"Waiting until {label} runs {want} instance(s)", progress=WAIT_FROM)
        last: dict[str, Any] = {}

        def reached() -> dict[str, Any] | None:
            group = self._read(ctx, cluster_id, group_id)
            state, running = group.get("Status", {}).get("State", "?"), group.get("RunningInstanceCount", 0)
            if (state, running) != (last.get("state"), last.get("running")):
                last.update(state=state, running=running)
                ctx.log(f"{label}: {group_shown(group)}.")
            if group.get("RequestedInstanceCount") != want:
                raise CountChanged(
                    f"The requested count of {label} was changed to {group.get('RequestedInstanceCount')} while this "
                    f"action waited for {want} (someone else, an automatic scaling policy or EMR managed scaling). "
                    f"{self._done(ctx)}"
                )
            if state in STUCK_STATES or state in ENDING_GROUP_STATES:
                reason = group.get("Status", {}).get("StateChangeReason", {})
                raise ActionFailed(
                    f"EMR reports {label} {state}: {reason.get('Message') or 'no reason given'}"
                    + (f" [{reason['Code']}]" if reason.get("Code") else "")
                    + f". {self._done(ctx)}"
                )
            ctx.progress(approach(start, running, want))
            return group if running == want and state != RESIZING else None

        try:
            return ctx.wait(
                reached, what=f"{label} to run {want} instance(s)", timeout=resize_timeout(), interval=poll_interval()
            )
        except ActionFailed as failure:
            if not str(failure).startswith("Timed out"):
                raise
            ctx.log(str(failure), level=ActionLogEntry.Level.WARNING)
            raise ActionFailed(
                f"{label} runs {last.get('running', '?')} of {want} instance(s) ({last.get('state', '?')}) after "
                f"{resize_timeout()} s (FLEETUI_EMR_RESIZE_TIMEOUT). The requested count is set and EMR goes on: a "
                "shrink waits for YARN and HDFS to decommission the nodes, a growth for EC2 capacity (spot). Look at "
                "the cluster's events, and sync EMR to see where it ends."
            ) from None
