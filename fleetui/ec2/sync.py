"""EC2's resource types for the sync engine (fleetui.inventory.sync collects `SYNCS` when Django starts).

The catalog comes first: the instances' transform reads its categories.
"""

from collections.abc import Mapping

from fleetui.aws import ec2
from fleetui.inventory.sync import ResourceSync

from . import transforms
from .catalog import TypeFacts, instance_type_fields
from .models import (
    ElasticIP,
    Image,
    Instance,
    InstanceType,
    KeyPair,
    NetworkInterface,
    PlacementGroup,
    ReservedInstance,
    ScheduledInstance,
    SecurityGroup,
    SpotPrice,
    Volume,
)
from .reservations import coverage_store


def catalog_facts() -> Mapping[str, TypeFacts]:
    """{type: its category and instance-store disks}, read once per sync run for the instances' transform."""
    rows = InstanceType.objects.values_list("name", "category", "instance_storage_disks")
    return {name: TypeFacts(category, disks or []) for name, category, disks in rows}


SYNCS = {
    "instance_types": ResourceSync(
        ec2.instance_type_pages, lambda raw, _: instance_type_fields(raw), InstanceType, "name", is_global=True
    ),
    "instances": ResourceSync(
        ec2.instance_pages,
        transforms.instance_fields,
        Instance,
        Instance.KEY,
        context=catalog_facts,
        after=coverage_store,
        # LaunchTime moves whenever a stopped instance starts: the state change is the change. search_text is
        # derived from the other fields, whose own changes are recorded.
        noise=("launch_time", "search_text"),
        compare_by=("state", "instance_type", "family", "lifecycle"),
    ),
    "placement_groups": ResourceSync(
        ec2.placement_group_pages, transforms.placement_group_fields, PlacementGroup, PlacementGroup.KEY
    ),
    "key_pairs": ResourceSync(ec2.key_pair_pages, transforms.key_pair_fields, KeyPair, KeyPair.KEY),
    "elastic_ips": ResourceSync(ec2.address_pages, transforms.address_fields, ElasticIP, ElasticIP.KEY),
    "images": ResourceSync(ec2.image_pages, transforms.image_fields, Image, Image.KEY),
    "security_groups": ResourceSync(
        ec2.security_group_pages, transforms.security_group_fields, SecurityGroup, SecurityGroup.KEY
    ),
    "network_interfaces": ResourceSync(
        ec2.network_interface_pages, transforms.network_interface_fields, NetworkInterface, NetworkInterface.KEY
    ),
    "volumes": ResourceSync(ec2.volume_pages, transforms.volume_fields, Volume, Volume.KEY),
    # Coverage is recomputed after either side of it changes: the instances above or the reservations.
    "reserved_instances": ResourceSync(
        ec2.reserved_instance_pages,
        transforms.reserved_instance_fields,
        ReservedInstance,
        ReservedInstance.KEY,
        after=coverage_store,
    ),
    "scheduled_instances": ResourceSync(
        ec2.scheduled_instance_pages,
        transforms.scheduled_instance_fields,
        ScheduledInstance,
        ScheduledInstance.KEY,
        by_id=False,  # no action touches them
    ),
    # The price in effect now for each type, AZ and product: a price table, read whole.
    "spot_prices": ResourceSync(
        ec2.spot_price_pages, transforms.spot_price_fields, SpotPrice, SpotPrice.KEY, by_id=False
    ),
}
