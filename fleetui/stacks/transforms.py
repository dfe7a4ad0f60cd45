"""Pure transforms: one CloudFormation API item (boto3's dict) -> the field values of its inventory model.

Like every service's transforms, each returns exactly the model's synced fields, normalised to what the database
gives back (`""` rather than None, lists sorted where AWS's order means nothing), so an unchanged re-sync writes
nothing. A resource's or event's stack id is the parent key its fetcher tagged it with (PARENT_KEY); a stack's
name is the part of its id after `stack/` (arn:aws:cloudformation:<region>:<account>:stack/<name>/<uuid>).
"""

from __future__ import annotations

from typing import Any

from fleetui.aws.cloudformation import SAM_TRANSFORM, TRANSFORMS_KEY, resource_key
from fleetui.aws.query import PARENT_KEY
from fleetui.inventory.sync.values import tags_of, when


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def stack_name_of(stack_id: str) -> str:
    """The stack's name from its id (ARN); "" when it is not an ARN."""
    _arn, _sep, rest = stack_id.partition(":stack/")
    return rest.split("/", 1)[0]


def stack_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeStacks' stack (+ its template's transforms under TRANSFORMS_KEY) -> Stack fields."""
    drift = raw.get("DriftInformation") or {}
    transforms = sorted(_text(t) for t in raw.get(TRANSFORMS_KEY) or [])
    return {
        "stack_id": raw["StackId"],
        "name": _text(raw.get("StackName")),
        "status": _text(raw.get("StackStatus")),
        "status_reason": _text(raw.get("StackStatusReason")),
        "description": _text(raw.get("Description")),
        "created_at": when(raw.get("CreationTime")),
        "updated_at": when(raw.get("LastUpdatedTime")),
        "termination_protection": bool(raw.get("EnableTerminationProtection")),
        "drift_status": _text(drift.get("StackDriftStatus")),
        "drift_checked_at": when(drift.get("LastCheckTimestamp")),
        "is_sam": SAM_TRANSFORM in transforms,
        "transforms": transforms,
        "parameters": sorted(
            (
                {"key": _text(p.get("ParameterKey")), "value": _text(p.get("ParameterValue"))}
                for p in raw.get("Parameters") or []
            ),
            key=lambda p: p["key"],
        ),
        "outputs": sorted(
            (
                {
                    "key": _text(o.get("OutputKey")),
                    "value": _text(o.get("OutputValue")),
                    "description": _text(o.get("Description")),
                    "export": _text(o.get("ExportName")),
                }
                for o in raw.get("Outputs") or []
            ),
            key=lambda o: o["key"],
        ),
        "parent_id": _text(raw.get("ParentId")),
        "tags": tags_of(raw.get("Tags")),
    }


def _parent(raw: dict[str, Any]) -> dict[str, str]:
    stack_id = _text(raw.get(PARENT_KEY))
    return {"stack_id": stack_id, "stack_name": stack_name_of(stack_id)}


def resource_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """ListStackResources' summary -> StackResource fields."""
    drift = raw.get("DriftInformation") or {}
    parent = _parent(raw)
    return {
        "resource_key": resource_key(parent["stack_id"], raw["LogicalResourceId"]),
        **parent,
        "logical_id": raw["LogicalResourceId"],
        "physical_id": _text(raw.get("PhysicalResourceId")),
        "resource_type": _text(raw.get("ResourceType")),
        "status": _text(raw.get("ResourceStatus")),
        "status_reason": _text(raw.get("ResourceStatusReason")),
        "drift_status": _text(drift.get("StackResourceDriftStatus")),
        "drift_checked_at": when(drift.get("LastCheckTimestamp")),
        "updated_at": when(raw.get("LastUpdatedTimestamp")),
        "tags": {},
    }


def event_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeStackEvents' event -> StackEvent fields."""
    return {
        "event_id": raw["EventId"],
        **_parent(raw),
        "logical_id": _text(raw.get("LogicalResourceId")),
        "physical_id": _text(raw.get("PhysicalResourceId")),
        "resource_type": _text(raw.get("ResourceType")),
        "status": _text(raw.get("ResourceStatus")),
        "status_reason": _text(raw.get("ResourceStatusReason")),
        "timestamp": when(raw.get("Timestamp")),
        "tags": {},
    }
