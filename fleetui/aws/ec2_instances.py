"""EC2 instance lifecycle calls for actions: read states, start, stop, reboot, terminate, change type.

Each call takes a list of instance ids and returns plain data. Errors come out as fleetui.aws domain
errors; the codes callers act on are kept on `.code`:
- `IncorrectInstanceState`: the instance is not in a state the call accepts;
- `OperationNotPermitted`: termination (or stop) protection is on;
- `InsufficientInstanceCapacity` (AwsInsufficientCapacity): no room for a start right now;
- `InvalidInstanceID.NotFound` (AwsNotFound);
- `UnsupportedOperation`: a stop of an instance-store-root instance or of a one-time spot instance.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .clients import AccountRef, client_get
from .ec2 import instance_pages
from .errors import aws_errors
from .query import Query

CHUNK = 100  # Instance ids per call: well under the EC2 limit of 1000 filter values, short enough to retry.
SPOT_REQUESTS = Query(
    "ec2", "describe_spot_instance_requests", "SpotInstanceRequests", id_filter="spot-instance-request-id"
)


def _ec2(account: AccountRef, region: str) -> Any:
    return client_get("ec2", account=account, region=region)


def chunks(ids: Sequence[str], size: int = CHUNK) -> list[list[str]]:
    return [list(ids[start : start + size]) for start in range(0, len(ids), size)]


def instances_describe(*, account: AccountRef, region: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """{instance id: DescribeInstances' instance dict} for the ids that exist (a filter, so a missing id is
    simply absent instead of failing the whole call)."""
    return {raw["InstanceId"]: raw for page in instance_pages(account=account, region=region, ids=ids) for raw in page}


def instance_states(*, account: AccountRef, region: str, ids: Sequence[str]) -> dict[str, str]:
    """{instance id: state name} for the ids that exist."""
    described = instances_describe(account=account, region=region, ids=ids)
    return {iid: raw["State"]["Name"] for iid, raw in described.items()}


def spot_request_types(*, account: AccountRef, region: str, request_ids: Sequence[str]) -> dict[str, str]:
    """{spot request id: its Type, "one-time" or "persistent"} for the requests that exist
    (DescribeSpotInstanceRequests by filter: a request gone from AWS is absent, not an error)."""
    pages = SPOT_REQUESTS.pages(account=account, region=region, ids=request_ids)
    return {item["SpotInstanceRequestId"]: item.get("Type", "") for page in pages for item in page}


def _state_change(
    method: str, result_key: str, account: AccountRef, region: str, ids: Sequence[str], **extra: Any
) -> dict[str, str]:
    """Call a state-changing method (e.g. "start_instances") in chunks; returns {id: current state}."""
    client = _ec2(account, region)
    changed: dict[str, str] = {}
    for chunk in chunks(ids):
        with aws_errors(client.meta.method_to_api_mapping[method]):
            answer = getattr(client, method)(InstanceIds=chunk, **extra)
        changed.update({item["InstanceId"]: item["CurrentState"]["Name"] for item in answer.get(result_key, [])})
    return changed


def instances_start(*, account: AccountRef, region: str, ids: Sequence[str]) -> dict[str, str]:
    """StartInstances; returns {id: state now}. Raises AwsInsufficientCapacity when AWS has no room."""
    return _state_change("start_instances", "StartingInstances", account, region, ids)


def instances_stop(*, account: AccountRef, region: str, ids: Sequence[str], force: bool = False) -> dict[str, str]:
    """StopInstances; returns {id: state now}."""
    return _state_change("stop_instances", "StoppingInstances", account, region, ids, Force=force)


def instances_terminate(*, account: AccountRef, region: str, ids: Sequence[str]) -> dict[str, str]:
    """TerminateInstances; returns {id: state now}. OperationNotPermitted when protection is on."""
    return _state_change("terminate_instances", "TerminatingInstances", account, region, ids)


def instances_reboot(*, account: AccountRef, region: str, ids: Sequence[str]) -> None:
    """RebootInstances (no state change to wait for)."""
    for chunk in chunks(ids):
        with aws_errors("RebootInstances"):
            _ec2(account, region).reboot_instances(InstanceIds=chunk)


def termination_protected(*, account: AccountRef, region: str, instance_id: str) -> bool:
    """Whether DisableApiTermination is on (DescribeInstanceAttribute)."""
    with aws_errors("DescribeInstanceAttribute"):
        answer = _ec2(account, region).describe_instance_attribute(
            InstanceId=instance_id, Attribute="disableApiTermination"
        )
    return bool(answer.get("DisableApiTermination", {}).get("Value"))


def instance_type_set(*, account: AccountRef, region: str, instance_id: str, instance_type: str) -> None:
    """ModifyInstanceAttribute InstanceType; the instance must be stopped (IncorrectInstanceState otherwise)."""
    with aws_errors("ModifyInstanceAttribute"):
        _ec2(account, region).modify_instance_attribute(InstanceId=instance_id, InstanceType={"Value": instance_type})
