"""emr.terminate_cluster: end an EMR cluster (TerminateJobFlows) and wait until EMR reports it TERMINATED.

Admin only, one cluster per action, and the requester types the cluster's name: a cluster's HDFS data and its
instances end with it, and nothing brings them back. A cluster with termination protection is refused, with how to
lift it (the request page and the API say so before anything is recorded, and the run checks again, since the
protection may have been turned on since). The run reads the cluster first: a cluster already TERMINATING because
this action asked (an earlier delivery) is waited on, not asked again; one that ended in the meantime otherwise fails
the action with AWS's reason. The cluster, its groups, its EMR instances and their EC2 instances are re-synced when
the action ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from fleetui.actions.common import poll_interval
from fleetui.actions.registry import ActionFailed, ActionInvalid, Confirmation, Operation, known_rows, operation
from fleetui.aws import AwsInvalidRequest
from fleetui.aws import emr_clusters as aws
from fleetui.core.roles import Role
from fleetui.emr.models import EmrCluster, InstanceGroup

from .common import (
    CLUSTERS,
    GROUPS,
    LIFT_PROTECTION,
    cluster_read,
    cluster_shown,
    ended_failure,
    instances_note,
    state_of,
    terminate_timeout,
    touched_instances,
    why_ended,
)

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account


@operation
class TerminateCluster(Operation):
    kind, label, verb = "emr.terminate_cluster", "Terminate an EMR cluster", "Terminate"
    role, destructive = Role.ADMIN, True
    target_type, min_targets, max_targets = CLUSTERS, 1, 1
    help = (
        "TerminateJobFlows, then wait until EMR reports the cluster TERMINATED. Its instances are terminated, its "
        "HDFS data is lost and its running steps are cancelled; logs already written to the log URI stay."
    )

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        row: EmrCluster = known_rows(EmrCluster, account=account, region=region, ids=targets)[targets[0]]
        if row.state in aws.ENDING_STATES:
            raise ActionInvalid(
                f"{row.name} ({row.cluster_id}) is {row.state} already in the inventory"
                + (f" ({row.state_change_message})" if row.state_change_message else "")
                + ": there is nothing to terminate. Sync EMR if that is out of date.",
                field="targets",
            )
        if row.termination_protected:
            raise ActionInvalid(
                f"{row.name} ({row.cluster_id}) has termination protection on: EMR refuses to terminate it. "
                + LIFT_PROTECTION.format(cluster_id=row.cluster_id),
                field="targets",
            )
        return targets

    def confirmation(
        self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]
    ) -> Confirmation | None:
        """Always the cluster's name: a terminated cluster cannot be brought back."""
        row = EmrCluster.objects.filter(account=account, region=region, cluster_id__in=targets[:1]).first()
        if row is None:
            return None
        nodes = InstanceGroup.objects.filter(
            account=account, region=region, cluster_id=row.cluster_id, gone_at__isnull=True
        ).values_list("running_count", flat=True)
        return Confirmation(
            row.name,
            f"Terminating {row.name} ({row.cluster_id}) ends its {sum(nodes)} running instance(s) and its steps, and "
            "its HDFS data is lost for good",
        )

    def lock_keys(self, action: Action) -> list[str]:
        """The cluster and its groups: no resize of one of them runs while the cluster ends."""
        groups = InstanceGroup.objects.filter(
            account=action.account, region=action.region, cluster_id__in=action.targets, gone_at__isnull=True
        ).values_list("instance_group_id", flat=True)
        return [*action.targets, *sorted(groups)]

    def touched(self, action: Action) -> dict[str, list[str]]:
        return {CLUSTERS: list(action.targets), GROUPS: list(action.result.get("group_ids", []))} | touched_instances(
            action.result
        )

    def describe(self, action: Action) -> str:
        row = EmrCluster.objects.filter(cluster_id__in=action.targets[:1]).first()
        return f"Terminate {row.name} ({row.cluster_id})" if row is not None else self.label

    def run(self, ctx: ActionContext) -> None:
        cluster_id = ctx.targets[0]
        ctx.step(f"Reading the cluster {cluster_id}", progress=5)
        cluster = cluster_read(ctx, cluster_id, done=self._done(ctx))
        shown = cluster_shown(cluster, cluster_id)
        self._note_parts(ctx, cluster_id)
        if ctx.result.get("terminate_at"):
            ctx.log(f"{shown} was asked to terminate by an earlier delivery of this action: not asking again.")
        elif state_of(cluster) in aws.ENDING_STATES:
            raise ended_failure(cluster, cluster_id, done=self._done(ctx))
        elif cluster.get("TerminationProtected"):
            raise ActionFailed(
                f"{shown} has termination protection on now (DescribeCluster), so EMR would refuse: "
                + LIFT_PROTECTION.format(cluster_id=cluster_id)
                + f" {self._done(ctx)}"
            )
        else:
            ctx.note(state_before=state_of(cluster))
            ctx.step(f"Terminating {shown} ({state_of(cluster)})", progress=15)
            try:
                aws.cluster_terminate(account=ctx.account, region=ctx.region, cluster_id=cluster_id)
            except AwsInvalidRequest as refused:
                raise ActionFailed(f"EMR refused to terminate {shown}: {refused}. {self._done(ctx)}") from refused
            ctx.note(terminate_at=timezone.now().isoformat())
            ctx.log(f"EMR accepted the termination of {shown}.")
        cluster = self._wait(ctx, cluster_id, shown)
        ctx.note(state=state_of(cluster))
        ctx.step(f"Refreshing the groups and instances of {shown} in the inventory", progress=95)
        self._note_parts(ctx, cluster_id)
        ctx.log(f"{shown} is {state_of(cluster)}: {why_ended(cluster)}.")

    @staticmethod
    def _done(ctx: ActionContext) -> str:
        if ctx.result.get("terminate_at"):
            return "This action had asked EMR to terminate the cluster."
        return "This action had not changed the cluster."

    @staticmethod
    def _note_parts(ctx: ActionContext, cluster_id: str) -> None:
        """Keep the cluster's groups and instances in the result, for the re-sync at the end."""
        groups = aws.instance_groups_list(account=ctx.account, region=ctx.region, cluster_id=cluster_id)
        ids = sorted({*ctx.result.get("group_ids", []), *(str(g["Id"]) for g in groups)})
        if ids != ctx.result.get("group_ids"):
            ctx.note(group_ids=ids)
        instances_note(ctx, cluster_id)

    def _wait(self, ctx: ActionContext, cluster_id: str, shown: str) -> dict[str, Any]:
        ctx.step(f"Waiting until EMR reports {shown} TERMINATED", progress=30)
        last: list[str] = [""]

        def ended() -> dict[str, Any] | None:
            cluster = cluster_read(ctx, cluster_id, done=self._done(ctx))
            state = state_of(cluster)
            if state != last[0]:
                last[0] = state
                ctx.log(f"{shown}: {state} ({why_ended(cluster)}).")
                ctx.progress(60 if state == "TERMINATING" else 30)
            return cluster if state in aws.ENDED_STATES else None

        try:
            return ctx.wait(ended, what=f"{shown} to terminate", timeout=terminate_timeout(), interval=poll_interval())
        except ActionFailed as late:
            if not str(late).startswith("Timed out"):
                raise
            raise ActionFailed(
                f"{late} EMR still reports {shown} {last[0]} (FLEETUI_EMR_TERMINATE_TIMEOUT); it goes on ending the "
                "cluster without fleetui. Sync EMR to see where it ends."
            ) from None
