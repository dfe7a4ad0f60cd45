"""EC2's resource types for the sync engine (fleetui.inventory.sync collects `SYNCS` when Django starts).

The catalog comes first: the instances' transform reads its categories.
"""

from collections.abc import Mapping
from typing import Any

from fleetui.aws import ec2, pricing
from fleetui.inventory.models import Account
from fleetui.inventory.sync import ResourceSync

from . import transforms
from .catalog import TypeFacts, instance_type_fields
from .cost_store import cost_store, rollup_store
from .models import (
    ElasticIP,
    Image,
    Instance,
    InstanceType,
    KeyPair,
    ListPrice,
    NetworkInterface,
    PlacementGroup,
    ReservedInstance,
    ScheduledInstance,
    SecurityGroup,
    SpotPrice,
    Volume,
)
from .reservations import coverage_store

DAY = 24 * 3600
# EBS types always priced, so a stopped instance's volumes have a price as soon as the volumes sync.
BASE_VOLUME_TYPES = ("gp2", "gp3")


def catalog_facts() -> Mapping[str, TypeFacts]:
    """{type: its category and instance-store disks}, read once per sync run for the instances' transform."""
    rows = InstanceType.objects.values_list("name", "category", "instance_storage_disks")
    return {name: TypeFacts(category, disks or []) for name, category, disks in rows}


def coverage_and_cost_store(*, account: Account, region: str) -> None:
    """Instances or reservations changed: coverage first, then the costs that read it."""
    coverage_store(account=account, region=region)
    cost_store(account=account, region=region)


def list_price_inputs(*, account: Account, region: str) -> dict[str, Any]:
    """What the scope's fleet needs priced: (type, platform, tenancy) of its live instances (host tenancy is
    priced per host, by family), its volume types, and its dedicated-host families."""
    live = Instance.objects.filter(account=account, region=region, gone_at__isnull=True, instance_type__isnull=False)
    combos = live.exclude(tenancy="host").values_list("instance_type_id", "platform", "tenancy").distinct()
    volumes = Volume.objects.filter(account=account, region=region, gone_at__isnull=True)
    hosts = live.filter(tenancy="host").values_list("family", flat=True).distinct()
    return {
        "instances": sorted(combos),
        "volume_types": sorted(set(volumes.values_list("volume_type", flat=True).distinct()) | set(BASE_VOLUME_TYPES)),
        "host_families": sorted(hosts),
    }


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
        after=coverage_and_cost_store,
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
    # A stopped instance's volumes are what it still costs (the rollup's EBS figures).
    "volumes": ResourceSync(ec2.volume_pages, transforms.volume_fields, Volume, Volume.KEY, after=rollup_store),
    # Coverage is recomputed after either side of it changes: the instances above or the reservations.
    "reserved_instances": ResourceSync(
        ec2.reserved_instance_pages,
        transforms.reserved_instance_fields,
        ReservedInstance,
        ReservedInstance.KEY,
        after=coverage_and_cost_store,
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
        ec2.spot_price_pages, transforms.spot_price_fields, SpotPrice, SpotPrice.KEY, by_id=False, after=cost_store
    ),
    # On-demand list prices (the Price List API) for what the scope's fleet uses, refreshed daily. After the
    # instances and volumes, whose combinations it asks for; a price AWS cannot give fails the scope, naming it.
    "list_prices": ResourceSync(
        pricing.list_price_pages,
        transforms.list_price_fields,
        ListPrice,
        ListPrice.KEY,
        inputs=list_price_inputs,
        every=DAY,
        by_id=False,
        after=cost_store,
    ),
}
