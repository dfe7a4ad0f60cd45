"""eks.scale_nodegroup: set a managed nodegroup's min, desired and max nodes, and follow EKS until it is done.

The run reads AWS first, so a redelivered action continues instead of repeating:
- an update id recorded by an earlier delivery is waited on, never sent again;
- a nodegroup UPDATING with an update of exactly this scaling InProgress (the earlier delivery died between the
  call and recording its id) adopts that update; another update in progress is waited out first (EKS refuses a
  second one with ResourceInUseException);
- a nodegroup whose scalingConfig already is the asked one is left alone.
Then UpdateNodegroupConfig (clientRequestToken derived from the action id), and DescribeUpdate until Successful,
with the Auto Scaling group's instance count and the nodegroup's status in the step log as they move. Failed or
Cancelled fail the action with the update's errors; FLEETUI_EKS_SCALE_TIMEOUT bounds the wait. A nodegroup or
cluster that no longer exists (ResourceNotFoundException) fails the action with AWS's message. The nodegroup and
the instances its ASG had or has are re-synced when the action ends.

A scale to desired 0 of a nodegroup that has nodes must be confirmed by typing `SCALE <nodegroup> TO 0`: fleetui
cannot see the pods, so "has nodes" stands for "runs pods", and at 0 every node is drained and terminated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from fleetui.actions.common import poll_interval, setting_int
from fleetui.actions.models import ActionLogEntry
from fleetui.actions.registry import ActionFailed, ActionInvalid, Confirmation, Operation, known_rows, operation
from fleetui.aws import AwsNotFound
from fleetui.aws import eks_nodegroups as aws
from fleetui.eks.models import Nodegroup

from .forms import ScaleNodegroupForm

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account

NODEGROUPS = "eks_nodegroups"  # this app's resource type (sync.SYNCS)
INSTANCES = "instances"  # EC2's resource type: the nodes of the nodegroup's Auto Scaling group
# EKS takes no scaling update in these states (a nodegroup being created, deleted, or that failed to be).
UNSCALABLE = frozenset({"CREATING", "DELETING", "CREATE_FAILED", "DELETE_FAILED"})
SIZES = (("min_size", "minSize"), ("desired_size", "desiredSize"), ("max_size", "maxSize"))
PARAM_TYPES = {"MinSize": "minSize", "DesiredSize": "desiredSize", "MaxSize": "maxSize"}  # Update.params types
DEFAULT_TIMEOUT = 1200


def scale_timeout() -> int:
    """Seconds to wait for EKS to finish the update: settings.FLEETUI_EKS_SCALE_TIMEOUT, else the environment
    variable, else 20 min (a scale-in drains each node's pods first, which can take minutes per node)."""
    return setting_int("FLEETUI_EKS_SCALE_TIMEOUT", DEFAULT_TIMEOUT)


def scaling_of(params: dict[str, Any]) -> dict[str, int]:
    """The scalingConfig (EKS's names) the action's parameters ask for."""
    return {api: int(params[name]) for name, api in SIZES}


def shown_scaling(scaling: dict[str, Any]) -> str:
    """The sizes as the step log and the messages say them: min 1 / desired 2 / max 4."""
    low, desired, high = (scaling.get(key, "?") for key in ("minSize", "desiredSize", "maxSize"))
    return f"min {low} / desired {desired} / max {high}"


@operation
class ScaleNodegroup(Operation):
    kind, label, verb = "eks.scale_nodegroup", "Scale a nodegroup", "Scale"
    target_type, min_targets, max_targets = NODEGROUPS, 1, 1
    form_class = ScaleNodegroupForm
    help = (
        "UpdateNodegroupConfig with the new minimum, desired and maximum nodes, then wait until EKS reports the "
        "update Successful. Nodes removed by a scale-in are drained and terminated."
    )

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        row = known_rows(Nodegroup, account=account, region=region, ids=targets)[targets[0]]
        if row.status in UNSCALABLE:
            raise ActionInvalid(
                f"{row.nodegroup_name} is {row.status} in the inventory: EKS scales only an existing nodegroup that is "
                "not being created or deleted. Sync EKS if that is out of date.",
                field="targets",
            )
        return targets

    def confirmation(
        self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]
    ) -> Confirmation | None:
        if params.get("desired_size") != 0 or len(targets) != 1:
            return None
        row = Nodegroup.objects.filter(
            account=account, region=region, nodegroup_arn=targets[0], gone_at__isnull=True
        ).first()
        if row is None or not row.desired_size:
            return None
        return Confirmation(
            f"SCALE {row.nodegroup_name} TO 0",
            f"{row.nodegroup_name} runs {row.desired_size} node(s); at 0 EKS drains and terminates every one, and the "
            "pods on them stop unless another nodegroup can take them (fleetui cannot see pods: it counts nodes)",
        )

    def form_notice(
        self, *, account: Account | None, region: str, targets: list[str], params: dict[str, Any]
    ) -> dict[str, Any] | None:
        if account is None or len(targets) != 1:
            return None
        row = Nodegroup.objects.filter(account=account, region=region, nodegroup_arn=targets[0]).first()
        return {"template": "eks/_scale_notice.html", "nodegroup": row} if row is not None else None

    def touched(self, action: Action) -> dict[str, list[str]]:
        return {NODEGROUPS: list(action.targets), INSTANCES: list(action.result.get("instance_ids", []))}

    def describe(self, action: Action) -> str:
        name = aws.nodegroup_arn_parts(action.targets[0])[1] if action.targets else "?"
        return f"Scale {name} to {shown_scaling(scaling_of(action.params))}"

    def run(self, ctx: ActionContext) -> None:
        cluster, name = aws.nodegroup_arn_parts(ctx.targets[0])
        want = scaling_of(ctx.params)
        ctx.step(f"Reading {name} in {cluster}", progress=5)
        nodegroup = self._read(ctx, cluster, name)
        groups = [group["name"] for group in nodegroup.get("resources", {}).get("autoScalingGroups", [])]
        self._instances(ctx, groups)
        update_id = ctx.result.get("update_id") or self._update_in_progress(ctx, cluster, name, nodegroup, want)
        if update_id:
            ctx.log(f"Update {update_id} was already sent for this scaling: waiting on it, not sending it again.")
        else:
            nodegroup = self._read(ctx, cluster, name)
            now = nodegroup.get("scalingConfig", {})
            if {key: now.get(key) for key in want} == want:
                ctx.note(outcome="already scaled", after=want)
                ctx.log(f"{name} is already at {shown_scaling(want)}: nothing to change.")
                return
            ctx.note(before=now, from_count=self._instances(ctx, groups))
            ctx.step(f"Scaling {name}: {shown_scaling(now)} -> {shown_scaling(want)}", progress=15)
            update = aws.nodegroup_scale(
                account=ctx.account, region=ctx.region, cluster=cluster, nodegroup=name,
                min_size=want["minSize"], desired_size=want["desiredSize"], max_size=want["maxSize"],
                token=ctx.client_token("scale"),
            )  # fmt: skip
            update_id = update["id"]
            ctx.note(update_id=update_id, called_at=timezone.now().isoformat())
            ctx.log(f"EKS accepted the update {update_id} ({update.get('status', '?')}).")
        self._wait(ctx, cluster, name, str(update_id), want, groups)
        nodegroup = self._read(ctx, cluster, name)
        count = self._instances(ctx, groups)
        ctx.note(after=nodegroup.get("scalingConfig", {}), instances=count, status=nodegroup.get("status", ""))
        ctx.log(
            f"{name} is {nodegroup.get('status', '?')} at {shown_scaling(nodegroup.get('scalingConfig', {}))}, "
            f"with {count} instance(s) in service."
        )
        if count != want["desiredSize"]:
            ctx.log(
                f"The Auto Scaling group has {count} of {want['desiredSize']} instance(s) in service yet; EKS goes on "
                "launching or draining them after the update, and the next sync shows the count.",
                level=ActionLogEntry.Level.WARNING,
            )

    def _read(self, ctx: ActionContext, cluster: str, name: str) -> dict[str, Any]:
        """DescribeNodegroup; a nodegroup or cluster that is gone fails the action with AWS's message."""
        try:
            return aws.nodegroup_describe(account=ctx.account, region=ctx.region, cluster=cluster, nodegroup=name)
        except AwsNotFound as gone:
            done = (
                f"The update {ctx.result['update_id']} had been sent." if ctx.result.get("update_id")
                else "Nothing was changed by this action."
            )  # fmt: skip
            raise ActionFailed(f"{name} in cluster {cluster} no longer exists in AWS: {gone}. {done}") from gone

    def _instances(self, ctx: ActionContext, groups: list[str]) -> int:
        """The number of InService instances of the nodegroup's ASGs; every instance id seen is kept in the result,
        so the action's re-sync refreshes the nodes it added and the ones it terminated."""
        found = aws.autoscaling_groups(account=ctx.account, region=ctx.region, names=groups)
        instances = [instance for group in found for instance in group.get("Instances", [])]
        seen = set(ctx.result.get("instance_ids", []))
        ids = {instance["InstanceId"] for instance in instances}
        if not ids <= seen:
            ctx.note(instance_ids=sorted(seen | ids))
        return sum(1 for instance in instances if instance.get("LifecycleState") == "InService")

    def _update_in_progress(
        self, ctx: ActionContext, cluster: str, name: str, nodegroup: dict[str, Any], want: dict[str, int]
    ) -> str | None:
        """The id of an InProgress update of exactly `want` (adopted), or None. Another update in progress is
        waited out first: EKS takes one update of a nodegroup at a time."""
        if nodegroup.get("status") != "UPDATING":
            return None
        ids = aws.update_ids(account=ctx.account, region=ctx.region, cluster=cluster, nodegroup=name)
        for update_id in reversed(ids):
            update = aws.update_describe(
                account=ctx.account, region=ctx.region, cluster=cluster, nodegroup=name, update_id=update_id
            )
            if update.get("status") != "InProgress":
                continue
            asked = {
                PARAM_TYPES[p["type"]]: int(p["value"]) for p in update.get("params", []) if p["type"] in PARAM_TYPES
            }
            if asked and all(asked.get(key, value) == value for key, value in want.items()):
                ctx.note(update_id=update_id)
                return update_id
            ctx.step(f"Waiting for another update of {name} ({update_id}) to end first", progress=10)
            self._wait_update(ctx, cluster, name, update_id, what=f"update {update_id} to end", check_result=False)
        return None

    def _wait(
        self, ctx: ActionContext, cluster: str, name: str, update_id: str, want: dict[str, int], groups: list[str]
    ) -> None:
        ctx.step(f"Waiting until EKS reports the update of {name} Successful", progress=30)
        start = int(ctx.result.get("from_count", 0))
        last: list[Any] = [None]

        def watch() -> None:
            nodegroup = self._read(ctx, cluster, name)
            count = self._instances(ctx, groups)
            spread = abs(want["desiredSize"] - start) or 1
            ctx.progress(30 + 60 * min(spread, abs(count - start)) // spread)
            state = (nodegroup.get("status"), count)
            if state != last[0]:
                last[0] = state
                ctx.log(
                    f"{name}: {nodegroup.get('status', '?')}, {count} of {want['desiredSize']} instance(s) in service."
                )

        self._wait_update(ctx, cluster, name, update_id, what=f"the update of {name}", watch=watch)

    def _wait_update(
        self, ctx: ActionContext, cluster: str, name: str, update_id: str, *, what: str, watch: Any = None,
        check_result: bool = True,
    ) -> dict[str, Any]:  # fmt: skip
        """DescribeUpdate until the update is no longer InProgress; Failed or Cancelled fail the action (when
        `check_result`) with the update's errors. `watch()` reports progress between reads."""

        def ended() -> dict[str, Any] | None:
            if watch is not None:
                watch()
            try:
                update = aws.update_describe(
                    account=ctx.account, region=ctx.region, cluster=cluster, nodegroup=name, update_id=update_id
                )
            except AwsNotFound as gone:
                self._read(ctx, cluster, name)  # says so if the nodegroup itself is gone
                raise ActionFailed(f"EKS no longer knows the update {update_id} of {name}: {gone}") from gone
            return update if update.get("status") != "InProgress" else None

        try:
            update = ctx.wait(ended, what=what, timeout=scale_timeout(), interval=poll_interval())
        except ActionFailed as late:
            if not str(late).startswith("Timed out"):
                raise
            raise ActionFailed(
                f"{late} EKS still reports update {update_id} InProgress; it goes on without fleetui. Look at the "
                f"nodegroup's health issues and its Auto Scaling group's activity, and sync EKS to see where it ends."
            ) from None
        if check_result and update.get("status") != "Successful":
            errors = "; ".join(
                f"{error.get('errorCode', '?')}: {error.get('errorMessage', '')}".strip()
                + (f" ({', '.join(error['resourceIds'])})" if error.get("resourceIds") else "")
                for error in update.get("errors", [])
            )
            raise ActionFailed(
                f"EKS reports the update {update_id} of {name} {update.get('status')}: {errors or 'no error given'}."
            )
        return update
