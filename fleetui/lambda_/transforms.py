"""Pure transforms: one Lambda API item (boto3's dict) -> the field values of its inventory model.

Like every service's transforms, each returns exactly the model's synced fields, normalised to what the database
gives back (`""` rather than None, sorted lists where AWS order means nothing), so an unchanged re-sync writes
nothing. A function's item carries what fleetui.aws.lambda_ read per function (tags, reserved concurrency,
versions, aliases) under its own keys.
"""

from __future__ import annotations

from typing import Any

from fleetui.aws.lambda_ import ALIASES_KEY, CONCURRENCY_KEY, TAGS_KEY, VERSIONS_KEY, unqualified
from fleetui.inventory.sync.values import when

SOURCE_TYPES = {"sqs": "sqs", "kinesis": "kinesis", "dynamodb": "dynamodb", "kafka": "kafka", "mq": "mq"}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _version(raw: dict[str, Any]) -> dict[str, str]:
    return {
        "version": _text(raw.get("Version")),
        "description": _text(raw.get("Description")),
        "last_modified": _text(raw.get("LastModified")),
        "code_sha256": _text(raw.get("CodeSha256")),
    }


def _alias(raw: dict[str, Any]) -> dict[str, Any]:
    weights = ((raw.get("RoutingConfig") or {}).get("AdditionalVersionWeights")) or {}
    return {
        "name": _text(raw.get("Name")),
        "version": _text(raw.get("FunctionVersion")),
        "description": _text(raw.get("Description")),
        "weights": {str(key): float(value) for key, value in sorted(weights.items())},
    }


def _numbered(version: dict[str, str]) -> int:
    return int(version["version"]) if version["version"].isdigit() else -1


def function_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """ListFunctions' item (or GetFunction's Configuration) with fleetui.aws.lambda_'s details -> Function fields."""
    vpc = raw.get("VpcConfig") or {}
    versions = [_version(v) for v in raw.get(VERSIONS_KEY) or [] if v.get("Version") != "$LATEST"]
    concurrency = raw.get(CONCURRENCY_KEY)
    return {
        "function_name": raw["FunctionName"],
        "function_arn": unqualified(_text(raw.get("FunctionArn"))),
        "description": _text(raw.get("Description")),
        "runtime": _text(raw.get("Runtime")),
        "architecture": _text((raw.get("Architectures") or ["x86_64"])[0]),
        "handler": _text(raw.get("Handler")),
        "package_type": _text(raw.get("PackageType")) or "Zip",
        "memory_mb": int(raw.get("MemorySize") or 128),
        "timeout_s": int(raw.get("Timeout") or 3),
        "ephemeral_storage_mb": int((raw.get("EphemeralStorage") or {}).get("Size") or 512),
        "code_size": int(raw.get("CodeSize") or 0),
        "last_modified": when(raw.get("LastModified")),
        "role": _text(raw.get("Role")),
        "state": _text(raw.get("State")),
        "last_update_status": _text(raw.get("LastUpdateStatus")),
        "last_update_reason": _text(raw.get("LastUpdateStatusReason")),
        # A function outside any VPC answers an empty VpcConfig (or none at all).
        "vpc_id": _text(vpc.get("VpcId")) if vpc.get("SubnetIds") else "",
        "subnet_ids": sorted(vpc.get("SubnetIds") or []),
        "security_group_ids": sorted(vpc.get("SecurityGroupIds") or []),
        "reserved_concurrency": None if concurrency is None else int(concurrency),
        "versions": sorted(versions, key=_numbered, reverse=True),
        "aliases": sorted((_alias(a) for a in raw.get(ALIASES_KEY) or []), key=lambda a: a["name"]),
        "tags": {str(k): _text(v) for k, v in sorted((raw.get(TAGS_KEY) or {}).items())},
    }


def source_of(arn: str) -> tuple[str, str]:
    """(type, name) of an event source from its ARN: `arn:aws:sqs:r:a:orders-queue` -> ("sqs", "orders-queue");
    a stream's or table's name is the part after `stream/` or `table/`."""
    parts = arn.split(":", 5)
    if len(parts) < 6:
        return "", arn
    service, resource = parts[2], parts[5]
    if service in ("kinesis", "dynamodb"):
        pieces = resource.split("/")
        name = pieces[1] if len(pieces) > 1 else resource
    elif service == "kafka":
        name = resource.split("/")[1] if "/" in resource else resource
    else:
        name = resource.rsplit(":", 1)[-1]
    return SOURCE_TYPES.get(service, service), name


def event_source_mapping_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """ListEventSourceMappings' item -> EventSourceMapping fields."""
    function_arn = _text(raw.get("FunctionArn"))
    source_type, source_name = source_of(_text(raw.get("EventSourceArn")))
    batch, window = raw.get("BatchSize"), raw.get("MaximumBatchingWindowInSeconds")
    return {
        "uuid": raw["UUID"],
        "function_arn": function_arn,
        "function_name": unqualified(function_arn).rsplit(":", 1)[-1],
        "event_source_arn": _text(raw.get("EventSourceArn")),
        "source_type": source_type,
        "source_name": source_name,
        "state": _text(raw.get("State")),
        "state_reason": _text(raw.get("StateTransitionReason")),
        "batch_size": None if batch is None else int(batch),
        "batching_window_s": None if window is None else int(window),
        "starting_position": _text(raw.get("StartingPosition")),
        "last_processing_result": _text(raw.get("LastProcessingResult")),
        "last_modified": when(raw.get("LastModified")),
        "tags": {},
    }
