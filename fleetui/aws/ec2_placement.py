"""EC2 placement-group calls for actions: describe one group, create, delete, and move an instance between groups.

Plain functions, keyword-only, returning plain data. Errors come out as fleetui.aws domain errors with the AWS
code on `.code`; the codes callers act on:
- `InvalidPlacementGroup.Duplicate` (AwsInvalidRequest): CreatePlacementGroup with a name already used in the
  region;
- `InvalidPlacementGroup.InUse` (AwsInvalidRequest): DeletePlacementGroup while instances are in the group, or
  a cluster group already used in another availability zone;
- `InvalidPlacementGroup.Unknown` (AwsInvalidRequest): no group of that name;
- `InvalidParameterValue` (AwsInvalidRequest): a partition number outside the group's partitions, a partition
  count outside 1..7;
- `IncorrectInstanceState` (AwsInvalidRequest): ModifyInstancePlacement on an instance that is not stopped;
- `InvalidInstanceID.NotFound` (AwsNotFound).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .clients import AccountRef, client_get
from .ec2_instances import instances_describe
from .errors import aws_errors


def _ec2(account: AccountRef, region: str) -> Any:
    return client_get("ec2", account=account, region=region)


def placement_group_describe(*, account: AccountRef, region: str, name: str) -> dict[str, Any] | None:
    """The group's DescribePlacementGroups dict (GroupName, GroupId, Strategy, State, PartitionCount...), or None
    when there is no such group. Named by a `group-name` filter, because `GroupNames` fails with
    InvalidPlacementGroup.Unknown for a missing group, and "missing" is an answer here, not an error."""
    with aws_errors("DescribePlacementGroups"):
        answer = _ec2(account, region).describe_placement_groups(Filters=[{"Name": "group-name", "Values": [name]}])
    found = [group for group in answer.get("PlacementGroups", []) if group.get("GroupName") == name]
    return found[0] if found else None


def placement_group_create(
    *,
    account: AccountRef,
    region: str,
    name: str,
    strategy: str,
    partition_count: int | None = None,
    spread_level: str | None = None,
) -> dict[str, Any]:
    """CreatePlacementGroup; returns the new group's dict (its State may still be "pending").

    `partition_count` only for the partition strategy, `spread_level` ("host" or "rack") only for spread.
    Raises AwsInvalidRequest with code InvalidPlacementGroup.Duplicate when the name is taken."""
    params: dict[str, Any] = {"GroupName": name, "Strategy": strategy}
    if strategy == "partition" and partition_count:
        params["PartitionCount"] = partition_count
    if strategy == "spread" and spread_level:
        params["SpreadLevel"] = spread_level
    with aws_errors("CreatePlacementGroup"):
        answer = _ec2(account, region).create_placement_group(**params)
    group: dict[str, Any] = answer.get("PlacementGroup") or {"GroupName": name, "Strategy": strategy}
    return group


def placement_group_delete(*, account: AccountRef, region: str, name: str) -> None:
    """DeletePlacementGroup. Raises AwsInvalidRequest with code InvalidPlacementGroup.InUse while the group has
    instances (stopped ones count), InvalidPlacementGroup.Unknown when there is no such group."""
    with aws_errors("DeletePlacementGroup"):
        _ec2(account, region).delete_placement_group(GroupName=name)


def instance_placement_set(
    *, account: AccountRef, region: str, instance_id: str, group_name: str, partition_number: int | None = None
) -> None:
    """ModifyInstancePlacement: put a stopped instance into `group_name`, or out of any group with "".

    `partition_number` only for a partition group (AWS picks one when it is None). Raises AwsInvalidRequest with
    IncorrectInstanceState (not stopped), InvalidPlacementGroup.Unknown, InvalidParameterValue."""
    params: dict[str, Any] = {"InstanceId": instance_id, "GroupName": group_name}
    if group_name and partition_number:
        params["PartitionNumber"] = partition_number
    with aws_errors("ModifyInstancePlacement"):
        _ec2(account, region).modify_instance_placement(**params)


def instance_placements(*, account: AccountRef, region: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """{instance id: {"state", "group" ("" for none), "partition" (None unless a partition group), "type"}} for
    the ids that exist (DescribeInstances by filter: a missing id is absent, not an error)."""
    found = instances_describe(account=account, region=region, ids=ids)
    return {
        iid: {
            "state": raw["State"]["Name"],
            "group": raw.get("Placement", {}).get("GroupName") or "",
            "partition": raw.get("Placement", {}).get("PartitionNumber"),
            "type": raw.get("InstanceType", ""),
        }
        for iid, raw in found.items()
    }
