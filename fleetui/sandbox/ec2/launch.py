"""RunInstances fields moto ignores: `Placement.GroupName/GroupId/PartitionNumber/Tenancy/HostId`, the
one-time spot request behind an instance launched with `InstanceMarketOptions` (real EC2 sets
`SpotInstanceRequestId`; moto sets only `InstanceLifecycle=spot`), and the root device of an instance-store-backed
AMI (moto says `RootDeviceType: ebs` for every instance and gives each an EBS root volume).

Validation happens before moto launches anything, like AWS. Error codes: InvalidPlacementGroup.Unknown,
InvalidPlacementGroup.InUse (cluster group used in another AZ), InvalidParameterValue (bad tenancy or partition,
spread group full), InvalidHostID.NotFound, InsufficientHostCapacity (host tenancy with no host that accepts
auto-placement).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError
from moto.ec2.models.spot_requests import SpotInstanceRequest
from moto.ec2.utils import random_spot_request_id

from .placement import (
    SPREAD_RUNNING_PER_AZ,
    TENANCIES,
    SandboxPlacementGroup,
    group_members,
    group_resolve,
    partition_check,
    partition_next,
)


@dataclass
class PlacementRequest:
    group: SandboxPlacementGroup | None
    partition: int | None
    tenancy: str
    host_id: str | None


class OneTimeSpotRequest(SpotInstanceRequest):
    """The spot request EC2 creates behind RunInstances with spot market options; it wraps the launched instance
    instead of launching a new one (moto's SpotInstanceRequest launches in its constructor). Its type is the
    request's SpotOptions.SpotInstanceType: "one-time" (the default) or "persistent"."""

    def __init__(self, backend: Any, instance: Any, max_price: str | None, request_type: str = "one-time"):
        self._preset_instance = instance
        super().__init__(
            ec2_backend=backend,
            spot_request_id=random_spot_request_id(),
            price=max_price or "",
            image_id=instance.image_id,
            spot_instance_type=request_type or "one-time",
            valid_from=None,
            valid_until=None,
            launch_group=None,
            availability_zone_group=None,
            key_name=instance.key_name,
            security_groups=[group.id for group in instance.security_groups],
            user_data=None,
            instance_type=instance.instance_type,
            placement=instance.placement.zone,
            kernel_id=None,
            ramdisk_id=None,
            monitoring_enabled=False,
            subnet_id=instance.subnet_id,
            tags={},
            spot_fleet_id=None,
            instance_interruption_behaviour=None,
        )

    def launch_instance(self) -> Any:
        return self._preset_instance


def _requested_zone(response: Any) -> str:
    backend = response.ec2_backend
    zone = response._get_param("Placement.AvailabilityZone")
    subnet_id = response._get_param("SubnetId")
    if not subnet_id:
        nics = response._get_param("NetworkInterfaces", [])
        subnet_id = next((nic.get("SubnetId") for nic in nics if nic.get("SubnetId")), None)
    if subnet_id:
        return backend.get_subnet(subnet_id).availability_zone
    return zone or f"{response.region}a"


def _spread_check(response: Any, group: SandboxPlacementGroup) -> None:
    # AWS: a spread group holds at most 7 running instances per AZ. The exact error code for this limit is not
    # in the API reference; InvalidParameterValue is our best reading of it.
    zone = _requested_zone(response)
    count = int(response._get_param("MaxCount") or response._get_param("MinCount") or 1)
    running = [i for i in group_members(response.ec2_backend, group) if i.state in ("pending", "running")]
    in_zone = [i for i in running if i.placement.zone == zone]
    if len(in_zone) + count > SPREAD_RUNNING_PER_AZ:
        raise EC2ClientError(
            "InvalidParameterValue",
            f"Spread placement group '{group.group_name}' can have at most {SPREAD_RUNNING_PER_AZ} running "
            f"instances in {zone}; it has {len(in_zone)} and {count} were requested.",
        )


def _cluster_zone_check(response: Any, group: SandboxPlacementGroup) -> None:
    """A cluster group lives in one AZ; AWS refuses a launch elsewhere with InvalidPlacementGroup.InUse."""
    zone = _requested_zone(response)
    other = sorted({i.placement.zone for i in group_members(response.ec2_backend, group)} - {zone})
    if other:
        raise EC2ClientError(
            "InvalidPlacementGroup.InUse",
            f"The placement group '{group.group_name}' is in use in another availability zone: {other[0]}",
        )


def _host_pick(response: Any, host_id: str | None) -> str | None:
    backend = response.ec2_backend
    if host_id:
        if host_id not in backend.hosts:
            raise EC2ClientError("InvalidHostID.NotFound", f"The host ID '{host_id}' does not exist")
        return host_id
    zone = _requested_zone(response)
    for host in backend.hosts.values():
        if host.state == "available" and host.auto_placement == "on" and host.zone == zone:
            return host.id
    raise EC2ClientError(
        "InsufficientHostCapacity", f"There is no Dedicated Host with auto-placement enabled in {zone}."
    )


def placement_request_parse(response: Any) -> PlacementRequest:
    """Read and validate the Placement of a RunInstances request before anything is launched."""
    name = response._get_param("Placement.GroupName")
    group_id = response._get_param("Placement.GroupId")
    partition = response._get_int_param("Placement.PartitionNumber")
    tenancy = response._get_param("Placement.Tenancy") or "default"
    host_id = response._get_param("Placement.HostId")
    if tenancy not in TENANCIES:
        raise EC2ClientError("InvalidParameterValue", f"Value ({tenancy}) for parameter tenancy is invalid.")
    group = group_resolve(response.ec2_backend, name=name, group_id=group_id) if (name or group_id) else None
    if group:
        partition_check(group, partition)
        if group.strategy == "spread":
            _spread_check(response, group)
        elif group.strategy == "cluster":
            _cluster_zone_check(response, group)
    elif partition is not None:
        raise EC2ClientError("InvalidParameterValue", "PartitionNumber requires a partition placement group.")
    if host_id or tenancy == "host":
        host_id, tenancy = _host_pick(response, host_id), "host"
    return PlacementRequest(group=group, partition=partition, tenancy=tenancy, host_id=host_id)


def placement_apply(backend: Any, instances: list[Any], request: PlacementRequest) -> None:
    for instance in instances:
        placement = instance.placement
        placement.tenancy = request.tenancy
        placement.host_id = request.host_id
        if request.group is not None:
            placement.group_name = request.group.group_name
            placement.group_id = request.group.group_id
            if request.group.strategy == "partition":
                placement.partition_number = request.partition or partition_next(backend, request.group)


def spot_requests_record(response: Any, instances: list[Any]) -> None:
    max_price = response._get_param("InstanceMarketOptions.SpotOptions.MaxPrice")
    request_type = response._get_param("InstanceMarketOptions.SpotOptions.SpotInstanceType")
    backend = response.ec2_backend
    for instance in instances:
        if instance.lifecycle == "spot" and not getattr(instance, "spot_instance_request_id", None):
            request = OneTimeSpotRequest(backend, instance, max_price, request_type)
            backend.spot_instance_requests[request.id] = request
            instance.spot_instance_request_id = request.id


def instance_store_roots_apply(backend: Any, instances: list[Any]) -> None:
    """An instance launched from an AMI whose RootDeviceType is instance-store boots from an instance-store volume:
    `RootDeviceType: instance-store`, and no EBS volume at the root device (moto attaches one to every instance)."""
    for instance in instances:
        image = backend.amis.get(instance.image_id)
        if image is None or image.root_device_type != "instance-store":
            continue
        instance.root_device_type = "instance-store"
        # moto's default root volume sits at /dev/sda1 whatever the AMI's root device name.
        for device in {instance.root_device_name, "/dev/sda1"}:
            root = instance.block_device_mapping.get(device)
            if root is not None:
                backend.detach_volume(root.volume_id, instance.id, device)
                backend.delete_volume(root.volume_id)


def run_instances_wrap(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    """Wrap InstanceResponse.run_instances so the placement and spot fields are validated and recorded."""

    def run_instances(self: Any) -> ActionResult:
        request = placement_request_parse(self)
        result = original(self)
        reservation: Any = result.result
        placement_apply(self.ec2_backend, reservation.instances, request)
        instance_store_roots_apply(self.ec2_backend, reservation.instances)
        spot_requests_record(self, reservation.instances)
        return result

    run_instances.__wrapped__ = original  # type: ignore[attr-defined]
    run_instances._fleetui_wrapped = True  # type: ignore[attr-defined]
    return run_instances
