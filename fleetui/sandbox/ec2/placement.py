"""Placement groups and instance placement for moto, which lacks them (see DOMAIN.md).

Follows the EC2 API reference: CreatePlacementGroup, DescribePlacementGroups, DeletePlacementGroup and
ModifyInstancePlacement, plus `Placement.GroupName/GroupId/PartitionNumber/Tenancy/HostId` recorded by
RunInstances (see `launch.py`). State lives on moto's per-(account, region) EC2 backend object, so
`POST /moto-api/reset` (which rebuilds every backend's `__dict__`) clears it like any moto state.

Error codes raised: InvalidPlacementGroup.Duplicate, InvalidPlacementGroup.Unknown, InvalidPlacementGroup.InUse,
InvalidParameterValue, IncorrectInstanceState, InvalidInstanceID.NotFound, InvalidHostID.NotFound.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.utils import random_id

STRATEGIES = ("cluster", "spread", "partition")
TENANCIES = ("default", "dedicated", "host")
MAX_PARTITIONS = 7
SPREAD_RUNNING_PER_AZ = 7
_LIVE_STATES = ("pending", "running", "stopping", "stopped", "shutting-down")


@dataclass
class SandboxPlacementGroup:
    group_name: str
    strategy: str
    group_id: str
    group_arn: str
    partition_count: int | None = None
    spread_level: str | None = None
    state: str = "available"
    tags: dict[str, str] = field(default_factory=dict)

    def as_shape(self) -> dict[str, Any]:
        """The `PlacementGroup` output shape of the EC2 API."""
        shape: dict[str, Any] = {
            "GroupName": self.group_name,
            "State": self.state,
            "Strategy": self.strategy,
            "GroupId": self.group_id,
            "GroupArn": self.group_arn,
            "PartitionCount": self.partition_count,
            "SpreadLevel": self.spread_level,
        }
        if self.tags:
            shape["Tags"] = [{"Key": k, "Value": v} for k, v in self.tags.items()]
        return {k: v for k, v in shape.items() if v is not None}


def groups_of(backend: Any) -> dict[str, SandboxPlacementGroup]:
    """The placement groups of one moto EC2 backend, by name."""
    return backend.__dict__.setdefault("_fleetui_placement_groups", {})


def group_resolve(backend: Any, *, name: str | None = None, group_id: str | None = None) -> SandboxPlacementGroup:
    """Find a group by name or id; raises InvalidPlacementGroup.Unknown like AWS does."""
    groups = groups_of(backend)
    if name:
        if name in groups:
            return groups[name]
        raise EC2ClientError("InvalidPlacementGroup.Unknown", f"The Placement Group '{name}' is unknown.")
    for group in groups.values():
        if group.group_id == group_id:
            return group
    raise EC2ClientError("InvalidPlacementGroup.Unknown", f"The Placement Group '{group_id}' is unknown.")


def group_members(backend: Any, group: SandboxPlacementGroup) -> list[Any]:
    """Instances of the backend that are not terminated and sit in `group`."""
    return [
        inst
        for inst in backend.all_instances()
        if getattr(inst.placement, "group_name", "") == group.group_name and inst.state in _LIVE_STATES
    ]


def partition_check(group: SandboxPlacementGroup, partition: int | None) -> None:
    """A PartitionNumber is only valid for a partition group and within 1..PartitionCount."""
    if partition is None:
        return
    if group.strategy != "partition":
        raise EC2ClientError(
            "InvalidParameterValue", "PartitionNumber can only be specified for a partition placement group."
        )
    if not 1 <= partition <= (group.partition_count or 0):
        raise EC2ClientError(
            "InvalidParameterValue",
            f"Partition number {partition} is invalid; the group has {group.partition_count} partitions.",
        )


def partition_next(backend: Any, group: SandboxPlacementGroup) -> int:
    """AWS spreads instances evenly over partitions when none is asked for: pick the emptiest one."""
    counts = {n: 0 for n in range(1, (group.partition_count or 1) + 1)}
    for inst in group_members(backend, group):
        number = getattr(inst.placement, "partition_number", None)
        if number in counts:
            counts[number] += 1
    return min(counts, key=lambda n: (counts[n], n))


def _tag_filter_match(tags: dict[str, str], name: str, values: list[str]) -> bool:
    if name == "tag-key":
        return any(key in values for key in tags)
    return tags.get(name[4:]) in values


def _filter_match(group: SandboxPlacementGroup, filters: dict[str, list[str]]) -> bool:
    attrs = {
        "group-name": group.group_name,
        "group-arn": group.group_arn,
        "state": group.state,
        "strategy": group.strategy,
        "spread-level": group.spread_level,
    }
    for name, values in filters.items():
        if name.startswith("tag:") or name == "tag-key":
            if not _tag_filter_match(group.tags, name, values):
                return False
        elif name in attrs:
            patterns = [re.compile("^" + re.escape(v).replace(r"\*", ".*").replace(r"\?", ".") + "$") for v in values]
            if not any(p.match(attrs[name] or "") for p in patterns):
                return False
        else:
            raise EC2ClientError("InvalidParameterValue", f"The filter '{name}' is invalid")
    return True


class PlacementResponses:
    """Methods attached to moto's EC2Response by `extensions.install()`; `self` is an EC2Response."""

    def create_placement_group(self: Any) -> ActionResult:
        name = self._get_param("GroupName")
        strategy = self._get_param("Strategy")
        partitions = self._get_int_param("PartitionCount")
        self.error_on_dryrun()
        if not name:
            raise EC2ClientError("MissingParameter", "The request must contain the parameter groupName")
        if strategy not in STRATEGIES:
            raise EC2ClientError("InvalidParameterValue", f"Value ({strategy}) for parameter strategy is invalid.")
        if strategy == "partition":
            partitions = partitions or 2
            if not 1 <= partitions <= MAX_PARTITIONS:
                raise EC2ClientError(
                    "InvalidParameterValue", f"Partition count must be between 1 and {MAX_PARTITIONS}."
                )
        elif partitions is not None:
            raise EC2ClientError("InvalidParameterValue", "PartitionCount is only valid for a partition group.")
        groups = groups_of(self.ec2_backend)
        if name in groups:
            raise EC2ClientError("InvalidPlacementGroup.Duplicate", f"The Placement Group '{name}' already exists.")
        group_id = random_id("pg", 17)
        group = SandboxPlacementGroup(
            group_name=name,
            strategy=strategy,
            group_id=group_id,
            group_arn=f"arn:{self.partition}:ec2:{self.region}:{self.current_account}:placement-group/{name}",
            partition_count=partitions if strategy == "partition" else None,
            spread_level=(self._get_param("SpreadLevel") or "rack") if strategy == "spread" else None,
            tags=self._parse_tag_specification().get("placement-group", {}),
        )
        groups[name] = group
        return ActionResult({"PlacementGroup": group.as_shape()})

    def describe_placement_groups(self: Any) -> ActionResult:
        names = self._get_param("GroupNames", [])
        ids = self._get_param("GroupIds", [])
        filters = self._filters_from_querystring()
        self.error_on_dryrun()
        backend = self.ec2_backend
        if names or ids:
            groups = [group_resolve(backend, name=n) for n in names]
            groups += [group_resolve(backend, group_id=i) for i in ids]
        else:
            groups = list(groups_of(backend).values())
        groups = [g for g in groups if _filter_match(g, filters)]
        return ActionResult({"PlacementGroups": [g.as_shape() for g in groups]})

    def delete_placement_group(self: Any) -> EmptyResult:
        name = self._get_param("GroupName")
        self.error_on_dryrun()
        backend = self.ec2_backend
        group = group_resolve(backend, name=name)
        if group_members(backend, group):
            raise EC2ClientError(
                "InvalidPlacementGroup.InUse",
                f"The placement group '{name}' is in use and may not be deleted.",
            )
        del groups_of(backend)[name]
        return EmptyResult()

    def modify_instance_placement(self: Any) -> ActionResult:
        """Only a stopped instance may change group, partition, tenancy or host (AWS: IncorrectInstanceState)."""
        instance_id = self._get_param("InstanceId")
        name = self._get_param("GroupName")
        group_id = self._get_param("GroupId")
        partition = self._get_int_param("PartitionNumber")
        tenancy = self._get_param("Tenancy")
        host_id = self._get_param("HostId")
        self.error_on_dryrun()
        backend = self.ec2_backend
        instance = backend.get_instance(instance_id)
        if instance.state != "stopped":
            raise EC2ClientError(
                "IncorrectInstanceState",
                f"The instance '{instance_id}' is not in the 'stopped' state.",
            )
        placement = instance.placement
        if name == "" and not group_id:
            placement.group_name, placement.group_id, placement.partition_number = "", None, None
        elif name or group_id:
            group = group_resolve(backend, name=name, group_id=group_id)
            partition_check(group, partition)
            if group.strategy == "partition" and partition is None:
                partition = partition_next(backend, group)
            placement.group_name, placement.group_id, placement.partition_number = (
                group.group_name,
                group.group_id,
                partition,
            )
        if tenancy:
            if tenancy not in TENANCIES:
                raise EC2ClientError("InvalidParameterValue", f"Value ({tenancy}) for parameter tenancy is invalid.")
            placement.tenancy = tenancy
        if host_id:
            if host_id not in backend.hosts:
                raise EC2ClientError("InvalidHostID.NotFound", f"The host ID '{host_id}' does not exist")
            placement.host_id, placement.tenancy = host_id, "host"
        elif tenancy and tenancy != "host":
            placement.host_id = None
        return ActionResult({"Return": True})
