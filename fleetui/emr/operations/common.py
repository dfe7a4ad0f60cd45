"""What the EMR operations share: their time-outs, reading a cluster that may have ended, what a cluster's end says,
and the instances an action keeps for its re-sync."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from django.conf import settings

from fleetui.actions.registry import ActionFailed
from fleetui.aws import AwsNotFound
from fleetui.aws import emr_clusters as aws

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext

CLUSTERS = "emr_clusters"  # the inventory resource types (keys of this app's sync.SYNCS)
GROUPS = "emr_instance_groups"
EMR_INSTANCES = "emr_instances"
EC2_INSTANCES = "instances"  # EC2's resource type: the clusters' nodes are EC2 instances
DEFAULT_RESIZE_TIMEOUT = 1800  # s: a shrink decommissions each node's YARN containers and HDFS blocks first
DEFAULT_TERMINATE_TIMEOUT = 1800  # s: EMR usually ends a cluster within minutes; a large one takes longer
LIFT_PROTECTION = (
    "Turn termination protection off first: in the EMR console (the cluster's Properties tab, Termination "
    "protection, Edit, off), or with the CLI `aws emr modify-cluster-attributes --cluster-id {cluster_id} "
    "--no-termination-protected` (the API's SetTerminationProtection with TerminationProtected false); then ask again."
)


def _setting(name: str, default: int) -> int:
    """A kind's own setting: Django's settings when a deployment defines it, else the environment, else `default`.
    (Read here, not in fleetui/settings, so the EMR app brings its own knobs.)"""
    value = getattr(settings, name, None)
    return int(value if value is not None else os.environ.get(name, default))


def resize_timeout() -> int:
    """How long emr.resize_group waits for the running count to reach the new count: FLEETUI_EMR_RESIZE_TIMEOUT."""
    return _setting("FLEETUI_EMR_RESIZE_TIMEOUT", DEFAULT_RESIZE_TIMEOUT)


def terminate_timeout() -> int:
    """How long emr.terminate_cluster waits for TERMINATED: FLEETUI_EMR_TERMINATE_TIMEOUT."""
    return _setting("FLEETUI_EMR_TERMINATE_TIMEOUT", DEFAULT_TERMINATE_TIMEOUT)


def state_of(cluster: dict[str, Any]) -> str:
    return str(cluster.get("Status", {}).get("State", "?"))


def why_ended(cluster: dict[str, Any]) -> str:
    """AWS's words for a cluster's state: its StateChangeReason message and code, e.g. "Terminated by user request
    [USER_REQUEST]"."""
    reason = cluster.get("Status", {}).get("StateChangeReason", {})
    message, code = str(reason.get("Message") or "").strip(), str(reason.get("Code") or "").strip()
    return (f"{message} [{code}]" if code else message) if message else (f"[{code}]" if code else "no reason given")


def cluster_shown(cluster: dict[str, Any], cluster_id: str) -> str:
    name = cluster.get("Name")
    return f"{name} ({cluster_id})" if name else cluster_id


def cluster_read(ctx: ActionContext, cluster_id: str, *, done: str) -> dict[str, Any]:
    """DescribeCluster now. A cluster EMR no longer knows fails the action with AWS's message and `done` (what this
    action did so far)."""
    try:
        return aws.cluster_describe(account=ctx.account, region=ctx.region, cluster_id=cluster_id)
    except AwsNotFound as gone:
        raise ActionFailed(f"EMR no longer knows the cluster {cluster_id}: {gone}. {done}") from gone


def ended_failure(cluster: dict[str, Any], cluster_id: str, *, done: str) -> ActionFailed:
    """The failure of an action whose cluster is terminating or terminated, with AWS's reason."""
    return ActionFailed(
        f"The cluster {cluster_shown(cluster, cluster_id)} is {state_of(cluster)}: {why_ended(cluster)}. {done}"
    )


def instances_note(ctx: ActionContext, cluster_id: str, group_id: str | None = None) -> list[dict[str, Any]]:
    """ListInstances of the cluster (or one group), keeping every EMR instance id and EC2 instance id seen in the
    action's result, so its re-sync refreshes the nodes it added and the ones it ended. Returns the instances."""
    found = aws.instances_list(account=ctx.account, region=ctx.region, cluster_id=cluster_id, group_id=group_id)
    seen_emr, seen_ec2 = set(ctx.result.get("emr_instance_ids", [])), set(ctx.result.get("ec2_instance_ids", []))
    emr_ids = {str(i["Id"]) for i in found if i.get("Id")}
    ec2_ids = {str(i["Ec2InstanceId"]) for i in found if i.get("Ec2InstanceId")}
    if not (emr_ids <= seen_emr and ec2_ids <= seen_ec2):
        ctx.note(emr_instance_ids=sorted(seen_emr | emr_ids), ec2_instance_ids=sorted(seen_ec2 | ec2_ids))
    return found


def touched_instances(result: dict[str, Any]) -> dict[str, list[str]]:
    return {
        EMR_INSTANCES: list(result.get("emr_instance_ids", [])),
        EC2_INSTANCES: list(result.get("ec2_instance_ids", [])),
    }
