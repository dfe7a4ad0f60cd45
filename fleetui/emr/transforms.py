"""Pure transforms: one EMR API item (boto3's dict) -> the field values of its inventory model.

Like every service's transforms, each returns exactly the model's synced fields, normalised to what the database
gives back (`""` rather than None, sorted lists where AWS order means nothing), so an unchanged re-sync writes
nothing. A child's cluster id is the parent key its fetcher tagged it with (fleetui.aws.query.PARENT_KEY); EMR's
child items do not carry the cluster's name, so the children's `context` is {cluster id: name} read once per run
from the clusters the sync already stored (sync.py's `cluster_names`).
"""

from __future__ import annotations

from typing import Any

from fleetui.aws.emr import COLLECTION_KEY
from fleetui.aws.query import PARENT_KEY
from fleetui.inventory.sync.values import tags_of, when


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _status(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    status = raw.get("Status") or {}
    return status, status.get("StateChangeReason") or {}, status.get("Timeline") or {}


def cluster_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeCluster's `Cluster` (+ "IdleTimeout" from GetAutoTerminationPolicy) -> EmrCluster fields."""
    status, reason, timeline = _status(raw)
    idle = raw.get("IdleTimeout")
    return {
        "cluster_id": raw["Id"],
        "cluster_arn": _text(raw.get("ClusterArn")),
        "name": _text(raw.get("Name")),
        "state": _text(status.get("State")),
        "state_change_code": _text(reason.get("Code")),
        "state_change_message": _text(reason.get("Message")),
        "release_label": _text(raw.get("ReleaseLabel")),
        "applications": sorted(
            (
                {"name": _text(app.get("Name")), "version": _text(app.get("Version"))}
                for app in raw.get("Applications") or []
            ),
            key=lambda app: app["name"],
        ),
        "collection": _text(raw.get("InstanceCollectionType")) or "INSTANCE_GROUP",
        "termination_protected": bool(raw.get("TerminationProtected")),
        "auto_terminate": bool(raw.get("AutoTerminate")),
        "idle_timeout": None if idle is None else int(idle),
        "log_uri": _text(raw.get("LogUri")),
        "master_public_dns": _text(raw.get("MasterPublicDnsName")),
        "service_role": _text(raw.get("ServiceRole")),
        "normalized_instance_hours": int(raw.get("NormalizedInstanceHours") or 0),
        "created_at": when(timeline.get("CreationDateTime")),
        "ready_at": when(timeline.get("ReadyDateTime")),
        "ended_at": when(timeline.get("EndDateTime")),
        "tags": tags_of(raw.get("Tags")),
    }


def _child(raw: dict[str, Any], context: Any) -> dict[str, str]:
    cluster_id = _text(raw.get(PARENT_KEY))
    return {"cluster_id": cluster_id, "cluster_name": (context or {}).get(cluster_id, "")}


def instance_group_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """ListInstanceGroups' or ListInstanceFleets' item (tagged "group"/"fleet") -> InstanceGroup fields."""
    if raw.get(COLLECTION_KEY) == "fleet":
        return _fleet_fields(raw, context)
    status, reason, _timeline = _status(raw)
    return {
        "instance_group_id": raw["Id"],
        **_child(raw, context),
        "collection": "group",
        "name": _text(raw.get("Name")),
        "group_type": _text(raw.get("InstanceGroupType")),
        "market": _text(raw.get("Market")) or "ON_DEMAND",
        "bid_price": _text(raw.get("BidPrice")),
        "instance_types": [raw["InstanceType"]] if raw.get("InstanceType") else [],
        "requested_count": int(raw.get("RequestedInstanceCount") or 0),
        "running_count": int(raw.get("RunningInstanceCount") or 0),
        "state": _text(status.get("State")),
        "state_change_message": _text(reason.get("Message")),
        "on_demand_target": None,
        "on_demand_provisioned": None,
        "spot_target": None,
        "spot_provisioned": None,
        "tags": {},
    }


def _fleet_fields(raw: dict[str, Any], context: Any) -> dict[str, Any]:
    """A fleet: capacities are units (weighted), the counts are their sums; market SPOT when it targets any spot;
    the bid price of a single-type spot fleet (several types: each has its own, so none is shown)."""
    status, reason, _timeline = _status(raw)
    specs = raw.get("InstanceTypeSpecifications") or []
    on_demand, spot = int(raw.get("TargetOnDemandCapacity") or 0), int(raw.get("TargetSpotCapacity") or 0)
    got_on_demand, got_spot = (
        int(raw.get("ProvisionedOnDemandCapacity") or 0),
        int(raw.get("ProvisionedSpotCapacity") or 0),
    )
    bids = {_text(spec.get("BidPrice")) for spec in specs if spec.get("BidPrice")}
    return {
        "instance_group_id": raw["Id"],
        **_child(raw, context),
        "collection": "fleet",
        "name": _text(raw.get("Name")),
        "group_type": _text(raw.get("InstanceFleetType")),
        "market": "SPOT" if spot else "ON_DEMAND",
        "bid_price": bids.pop() if spot and len(bids) == 1 else "",
        "instance_types": sorted({_text(spec.get("InstanceType")) for spec in specs if spec.get("InstanceType")}),
        "requested_count": on_demand + spot,
        "running_count": got_on_demand + got_spot,
        "state": _text(status.get("State")),
        "state_change_message": _text(reason.get("Message")),
        "on_demand_target": on_demand,
        "on_demand_provisioned": got_on_demand,
        "spot_target": spot,
        "spot_provisioned": got_spot,
        "tags": {},
    }


def step_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """ListSteps' item -> Step fields."""
    status, reason, timeline = _status(raw)
    config = raw.get("Config") or {}
    return {
        "step_id": raw["Id"],
        **_child(raw, context),
        "name": _text(raw.get("Name")),
        "state": _text(status.get("State")),
        "state_change_message": _text(reason.get("Message")),
        "action_on_failure": _text(raw.get("ActionOnFailure")),
        "jar": _text(config.get("Jar")),
        "args": [str(arg) for arg in config.get("Args") or []],  # order matters: a command line
        "created_at": when(timeline.get("CreationDateTime")),
        "started_at": when(timeline.get("StartDateTime")),
        "ended_at": when(timeline.get("EndDateTime")),
        "tags": {},
    }


def instance_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """ListInstances' item -> EmrInstance fields (a fleet's instance names its fleet as its group)."""
    status, _reason, timeline = _status(raw)
    return {
        "instance_id": raw["Id"],
        **_child(raw, context),
        "instance_group_id": _text(raw.get("InstanceGroupId")) or _text(raw.get("InstanceFleetId")),
        "ec2_instance_id": _text(raw.get("Ec2InstanceId")),
        "market": _text(raw.get("Market")),
        "instance_type": _text(raw.get("InstanceType")),
        "state": _text(status.get("State")),
        "private_ip": _text(raw.get("PrivateIpAddress")),
        "public_dns": _text(raw.get("PublicDnsName")),
        "created_at": when(timeline.get("CreationDateTime")),
        "ready_at": when(timeline.get("ReadyDateTime")),
        "tags": {},
    }
