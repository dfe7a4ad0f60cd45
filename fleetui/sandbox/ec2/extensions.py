"""fleetui's extensions to moto's EC2 for APIs it lacks or gets wrong. Installed before the server starts.

They lean on moto 5.2.5 internals (EC2Response dispatch by snake-cased action name, InstancePlacement, the
describe-instances filter map), which is why moto is pinned in pyproject.toml.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.ec2 import utils as ec2_utils
from moto.ec2.models.amis import Ami
from moto.ec2.models.instances import Instance, InstancePlacement
from moto.ec2.models.spot_requests import SpotInstanceRequest
from moto.ec2.responses import EC2Response
from moto.ec2.responses._base_response import EC2BaseResponse
from moto.ec2.responses.amis import AmisResponse
from moto.ec2.responses.elastic_ip_addresses import ElasticIPAddresses
from moto.ec2.responses.instances import InstanceResponse

from .billing import image_platform_details, instance_platform_details, usage_operation
from .catalog import catalog_extend
from .describe import describe_instances
from .idempotency import run_instances_idempotent
from .images import ami_block_device_mappings, copy_image_wrap, create_image_wrap, release_address_wrap
from .launch import run_instances_wrap
from .lifecycle import LifecycleResponses, modify_instance_attribute_wrap
from .placement import PlacementResponses
from .reservations import ReservationResponses
from .speed import speedups_install
from .spot_prices import describe_spot_price_history

# DescribeInstances filters from the API reference that moto does not know, mapped to the attributes we record.
EXTRA_INSTANCE_FILTERS = {
    "placement-group-name": "placement.group_name",
    "placement-partition-number": "placement.partition_number",
    "tenancy": "placement.tenancy",
    "host-id": "placement.host_id",
    "instance-lifecycle": "lifecycle",
    "spot-instance-request-id": "spot_instance_request_id",
    "client-token": "client_token",
}

# Real DescribeAddresses omits these for an unattached address; moto sends empty strings.
EMPTY_AS_ABSENT = (
    "Address.InstanceId",
    "Address.NetworkInterfaceId",
    "Address.AssociationId",
    "Address.NetworkInterfaceOwnerId",
    "Address.PrivateIpAddress",
)

_LIFECYCLE_ACTIONS = ("start_instances", "stop_instances", "reboot_instances", "terminate_instances")
# (class, method, wrapper factory): each wrapper marks itself `_fleetui_wrapped` so install() stays idempotent.
_WRAPPED: tuple[tuple[type, str, Callable[[Any], Any]], ...] = (
    (InstanceResponse, "modify_instance_attribute", modify_instance_attribute_wrap),
    (AmisResponse, "copy_image", copy_image_wrap),
    (AmisResponse, "create_image", create_image_wrap),
    (ElasticIPAddresses, "release_address", release_address_wrap),
)

_RESERVATION_ACTIONS = (
    "describe_reserved_instances_offerings",
    "purchase_reserved_instances_offering",
    "describe_reserved_instances",
    "describe_scheduled_instances",
)

_PLACEMENT_ACTIONS = (
    "create_placement_group",
    "describe_placement_groups",
    "delete_placement_group",
    "modify_instance_placement",
)


def install() -> None:
    """Patch moto's response classes and backends; safe to call more than once."""
    for name in _PLACEMENT_ACTIONS:
        setattr(EC2Response, name, getattr(PlacementResponses, name))
    for name in _RESERVATION_ACTIONS:
        setattr(EC2Response, name, getattr(ReservationResponses, name))
    setattr(EC2Response, "describe_spot_price_history", describe_spot_price_history)  # noqa: B010
    # Serialised attributes of the `Placement` shape that moto's InstancePlacement lacks (class defaults, so
    # instances created before install() serialise too).
    setattr(InstancePlacement, "partition_number", None)  # noqa: B010 - patching a foreign class on purpose
    setattr(InstancePlacement, "group_id", None)  # noqa: B010
    setattr(Instance, "spot_instance_request_id", None)  # noqa: B010
    setattr(InstanceResponse, "describe_instances", describe_instances)  # noqa: B010
    if not getattr(InstanceResponse.run_instances, "_fleetui_idempotent", False):
        launch = run_instances_wrap(InstanceResponse.run_instances)
        # Idempotency outermost: a repeated launch is answered before placement validation or launching.
        setattr(InstanceResponse, "run_instances", run_instances_idempotent(launch))  # noqa: B010
    _actions_install()
    if not getattr(SpotInstanceRequest.launch_instance, "_fleetui_wrapped", False):
        setattr(SpotInstanceRequest, "launch_instance", _spot_launch_wrap(SpotInstanceRequest.launch_instance))  # noqa: B010
    ec2_utils.filter_dict_attribute_mapping.update(EXTRA_INSTANCE_FILTERS)
    for key_path in EMPTY_AS_ABSENT:
        EC2BaseResponse.RESPONSE_KEY_PATH_TO_TRANSFORMER.setdefault(key_path, _none_if_empty)
    catalog_extend()
    speedups_install()
    # Real EC2 reports how an instance/AMI is billed; moto omits both fields (the inventory shows them).
    for model, details in ((Instance, instance_platform_details), (Ami, image_platform_details)):
        if not hasattr(model, "platform_details"):
            setattr(model, "platform_details", property(details))  # noqa: B010
            setattr(model, "usage_operation", property(usage_operation))  # noqa: B010


def _actions_install() -> None:
    """The EC2 rules fleetui's actions rely on (lifecycle.py, idempotency.py, images.py)."""
    for name in _LIFECYCLE_ACTIONS:
        setattr(InstanceResponse, name, getattr(LifecycleResponses, name))
    for cls, name, wrap in _WRAPPED:
        method = getattr(cls, name)
        if not getattr(method, "_fleetui_wrapped", False):
            setattr(cls, name, wrap(method))
    setattr(Ami, "block_device_mappings", property(ami_block_device_mappings))  # noqa: B010


def _none_if_empty(value: Any) -> Any:
    return value or None


def _spot_launch_wrap(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """RequestSpotInstances: real EC2 reports the request id on the instance (`SpotInstanceRequestId`); moto doesn't."""

    def launch_instance(self: Any) -> Any:
        instance = original(self)
        instance.spot_instance_request_id = self.id
        return instance

    launch_instance._fleetui_wrapped = True  # type: ignore[attr-defined]
    return launch_instance
