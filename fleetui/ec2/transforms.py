"""Pure transforms: one EC2 API item (boto3's dict) -> the field values of its inventory model.

Each function returns exactly the model's synced fields (everything except id, account, region,
first_seen, last_seen and gone_at), normalised to what the database gives back (`""` rather than
None for text, sorted lists where AWS order means nothing), so the loader can compare a row with
the stored one and write only what changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from fleetui.inventory.sync.values import tags_of, when

from .catalog import TypeFacts, category_of, family_of
from .costs import hourly_charge, unit_rate
from .findings import WORLD, group_severity, rule_severity


def _groups(*sources: list[dict[str, str]] | None) -> list[dict[str, str]]:
    found: dict[str, str] = {}
    for groups in sources:
        for group in groups or []:
            found.setdefault(group["GroupId"], group.get("GroupName", ""))
    return [{"id": group_id, "name": name} for group_id, name in sorted(found.items())]


def instance_store_volumes(raw: dict[str, Any], disks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The instance-store volumes of a DescribeInstances item: its type's disks (from the catalog; DescribeInstances
    does not list them) and, when the root device type is instance-store, the root volume."""
    volumes = [dict(disk) for disk in disks]
    if raw.get("RootDeviceType") == "instance-store":
        volumes.insert(0, {"root": True, "device": raw.get("RootDeviceName", "")})
    return volumes


def instance_fields(raw: dict[str, Any], catalog: Mapping[str, TypeFacts] | None = None) -> dict[str, Any]:
    """DescribeInstances item -> Instance fields. `catalog` is the catalog's {type: TypeFacts}."""
    instance_type = raw.get("InstanceType", "")
    family = family_of(instance_type)
    facts = (catalog or {}).get(instance_type)
    store = instance_store_volumes(raw, facts.disks if facts else [])
    placement = raw.get("Placement") or {}
    tags = tags_of(raw.get("Tags"))
    enis = raw.get("NetworkInterfaces") or []
    # An instance's groups are those of all its ENIs: the top-level SecurityGroups describes the primary ENI
    # only (and is empty in moto when the instance was launched with explicit NetworkInterfaces).
    groups = _groups(raw.get("SecurityGroups"), *(eni.get("Groups") for eni in enis))
    private_ip = raw.get("PrivateIpAddress") or None
    public_ip = raw.get("PublicIpAddress") or None
    name = tags.get("Name", "")
    words = [raw["InstanceId"], name, private_ip or "", public_ip or "", *(g["id"] for g in groups)]
    words += [part for key, value in tags.items() for part in (key, value)]
    return {
        "instance_id": raw["InstanceId"],
        "name": name,
        "state": (raw.get("State") or {}).get("Name", ""),
        "availability_zone": placement.get("AvailabilityZone", ""),
        "instance_type_id": instance_type or None,
        "family": family,
        "category": (facts.category if facts else "") or category_of(family),
        "lifecycle": raw.get("InstanceLifecycle") or "on-demand",
        "spot_request_id": raw.get("SpotInstanceRequestId", ""),
        "tenancy": placement.get("Tenancy") or "default",
        "host_id": placement.get("HostId", ""),
        "placement_group": placement.get("GroupName", ""),
        "partition_number": placement.get("PartitionNumber"),
        "key_name": raw.get("KeyName", ""),
        "image_id": raw.get("ImageId", ""),
        "platform": raw.get("PlatformDetails") or raw.get("Platform") or "",
        "architecture": raw.get("Architecture", ""),
        "launch_time": when(raw.get("LaunchTime")),
        "private_ip": private_ip,
        "public_ip": public_ip,
        "vpc_id": raw.get("VpcId", ""),
        "subnet_id": raw.get("SubnetId", ""),
        "security_groups": groups,
        "eni_count": len(enis),
        "volume_ids": sorted(m["Ebs"]["VolumeId"] for m in raw.get("BlockDeviceMappings") or [] if "Ebs" in m),
        "root_device_type": raw.get("RootDeviceType", ""),
        "instance_store_volumes": store,
        "has_instance_store": bool(store),
        "iam_instance_profile": (raw.get("IamInstanceProfile") or {}).get("Arn", ""),
        "tags": tags,
        "search_text": " ".join(word for word in words if word).lower(),
    }


def placement_group_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribePlacementGroups item -> PlacementGroup fields."""
    return {
        "group_name": raw["GroupName"],
        "group_id": raw.get("GroupId", ""),
        "strategy": raw.get("Strategy", ""),
        "partition_count": raw.get("PartitionCount"),
        "spread_level": raw.get("SpreadLevel", ""),
        "state": raw.get("State", ""),
        "tags": tags_of(raw.get("Tags")),
    }


def key_pair_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeKeyPairs item -> KeyPair fields."""
    return {
        "key_name": raw["KeyName"],
        "key_pair_id": raw.get("KeyPairId", ""),
        "key_type": raw.get("KeyType", ""),
        "fingerprint": raw.get("KeyFingerprint", ""),
        "create_time": when(raw.get("CreateTime")),
        "tags": tags_of(raw.get("Tags")),
    }


def address_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeAddresses item -> ElasticIP fields. EC2-Classic addresses have no AllocationId: keyed by IP."""
    return {
        "allocation_id": raw.get("AllocationId") or raw["PublicIp"],
        "public_ip": raw["PublicIp"],
        "domain": raw.get("Domain", ""),
        "association_id": raw.get("AssociationId", ""),
        "instance_id": raw.get("InstanceId", ""),
        "network_interface_id": raw.get("NetworkInterfaceId", ""),
        "private_ip": raw.get("PrivateIpAddress") or None,
        "tags": tags_of(raw.get("Tags")),
    }


def image_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeImages item -> Image fields."""
    return {
        "image_id": raw["ImageId"],
        "name": raw.get("Name", ""),
        "description": raw.get("Description", ""),
        "state": raw.get("State", ""),
        "owner_id": raw.get("OwnerId", ""),
        "public": bool(raw.get("Public", False)),
        "architecture": raw.get("Architecture", ""),
        "platform": raw.get("PlatformDetails") or raw.get("Platform") or "",
        "root_device_type": raw.get("RootDeviceType", ""),
        "virtualization_type": raw.get("VirtualizationType", ""),
        "creation_date": when(raw.get("CreationDate")),
        "tags": tags_of(raw.get("Tags")),
    }


def rule_of(permission: dict[str, Any]) -> dict[str, Any]:
    """One IpPermissions item -> {"protocol", "from_port", "to_port", "sources", "world_open"}."""
    sources = [r["CidrIp"] for r in permission.get("IpRanges") or []]
    sources += [r["CidrIpv6"] for r in permission.get("Ipv6Ranges") or []]
    sources += [p["PrefixListId"] for p in permission.get("PrefixListIds") or []]
    sources += [p["GroupId"] for p in permission.get("UserIdGroupPairs") or [] if "GroupId" in p]
    return {
        "protocol": str(permission.get("IpProtocol", "-1")),
        "from_port": permission.get("FromPort"),
        "to_port": permission.get("ToPort"),
        "sources": sorted(sources),
        "world_open": bool(WORLD.intersection(sources)),
    }


def _rule_sort_key(rule: dict[str, Any]) -> tuple[str, int, int, list[str]]:
    return (rule["protocol"], rule["from_port"] or -1, rule["to_port"] or -1, rule["sources"])


def security_group_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeSecurityGroups item -> SecurityGroup fields; each ingress rule and the group graded (findings.py)."""
    ingress = sorted((rule_of(p) for p in raw.get("IpPermissions") or []), key=_rule_sort_key)
    ingress = [{**rule, "severity": rule_severity(rule)} for rule in ingress]
    egress = sorted((rule_of(p) for p in raw.get("IpPermissionsEgress") or []), key=_rule_sort_key)
    return {
        "group_id": raw["GroupId"],
        "group_name": raw.get("GroupName", ""),
        "description": raw.get("Description", ""),
        "vpc_id": raw.get("VpcId", ""),
        "ingress_rules": ingress,
        "egress_rules": egress,
        "severity": group_severity(ingress),
        "tags": tags_of(raw.get("Tags")),
    }


def network_interface_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeNetworkInterfaces item -> NetworkInterface fields (tags come as TagSet here)."""
    attachment = raw.get("Attachment") or {}
    return {
        "network_interface_id": raw["NetworkInterfaceId"],
        "status": raw.get("Status", ""),
        "interface_type": raw.get("InterfaceType", ""),
        "availability_zone": raw.get("AvailabilityZone", ""),
        "vpc_id": raw.get("VpcId", ""),
        "subnet_id": raw.get("SubnetId", ""),
        "private_ip": raw.get("PrivateIpAddress") or None,
        "public_ip": (raw.get("Association") or {}).get("PublicIp") or None,
        "mac_address": raw.get("MacAddress", ""),
        "description": raw.get("Description", ""),
        "instance_id": attachment.get("InstanceId", ""),
        "device_index": attachment.get("DeviceIndex"),
        "security_groups": _groups(raw.get("Groups")),
        "tags": tags_of(raw.get("TagSet") or raw.get("Tags")),
    }


def volume_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeVolumes item -> Volume fields; the first attachment names the instance and device."""
    attachment = (raw.get("Attachments") or [{}])[0]
    return {
        "volume_id": raw["VolumeId"],
        "size_gib": int(raw.get("Size", 0)),
        "volume_type": raw.get("VolumeType", ""),
        "iops": raw.get("Iops"),
        "state": raw.get("State", ""),
        "availability_zone": raw.get("AvailabilityZone", ""),
        "encrypted": bool(raw.get("Encrypted", False)),
        "snapshot_id": raw.get("SnapshotId", ""),
        "instance_id": attachment.get("InstanceId", ""),
        "device": attachment.get("Device", ""),
        "create_time": when(raw.get("CreateTime")),
        "tags": tags_of(raw.get("Tags")),
    }


def _money(value: Any, places: str) -> Decimal | None:
    """A price as the DecimalField stores it (quantized), so an unchanged reservation compares equal."""
    return None if value is None or value == "" else Decimal(str(value)).quantize(Decimal(places))


def reserved_instance_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeReservedInstances item -> ReservedInstance fields."""
    instance_type = raw.get("InstanceType", "")
    charges = [
        {"amount": str(charge.get("Amount", "")), "frequency": charge.get("Frequency", "")}
        for charge in raw.get("RecurringCharges") or []
    ]
    fixed, usage = _money(raw.get("FixedPrice"), "0.0001"), _money(raw.get("UsagePrice"), "0.000001")
    return {
        "reserved_instances_id": raw["ReservedInstancesId"],
        "instance_type": instance_type,
        "family": family_of(instance_type),
        "scope": raw.get("Scope") or ("Availability Zone" if raw.get("AvailabilityZone") else "Region"),
        "availability_zone": raw.get("AvailabilityZone") or "",
        "instance_count": raw.get("InstanceCount") or 0,
        "offering_class": raw.get("OfferingClass", ""),
        "offering_type": raw.get("OfferingType", ""),
        "product_description": raw.get("ProductDescription", ""),
        "instance_tenancy": raw.get("InstanceTenancy") or "default",
        "start": when(raw.get("Start")),
        "end": when(raw.get("End")),
        "duration_seconds": raw.get("Duration") or 0,
        "state": raw.get("State", ""),
        "fixed_price": fixed,
        "usage_price": usage,
        "currency": raw.get("CurrencyCode", ""),
        "recurring_charges": sorted(charges, key=lambda c: (c["frequency"], c["amount"])),
        "usd_per_unit_hour": unit_rate(
            instance_type=instance_type,
            fixed_price=fixed,
            hourly=hourly_charge(recurring_charges=charges, usage_price=usage),
            duration_seconds=raw.get("Duration") or 0,
        ),
        "tags": tags_of(raw.get("Tags")),
    }


def _recurrence_text(recurrence: dict[str, Any]) -> str:
    days = ", ".join(str(day) for day in recurrence.get("OccurrenceDaySet") or [])
    text = f"{recurrence.get('Frequency', '')}, every {recurrence.get('Interval', 1)}"
    return f"{text} on {days}" if days else text


def scheduled_instance_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeScheduledInstances item -> ScheduledInstance fields."""
    return {
        "scheduled_instance_id": raw["ScheduledInstanceId"],
        "instance_type": raw.get("InstanceType", ""),
        "platform": raw.get("Platform", ""),
        "availability_zone": raw.get("AvailabilityZone", ""),
        "instance_count": raw.get("InstanceCount") or 0,
        "recurrence": _recurrence_text(raw.get("Recurrence") or {}),
        "slot_duration_hours": raw.get("SlotDurationInHours"),
        "hourly_price": raw.get("HourlyPrice", ""),
        "term_start": when(raw.get("TermStartDate")),
        "term_end": when(raw.get("TermEndDate")),
        "next_slot_start": when(raw.get("NextSlotStartTime")),
        "tags": {},
    }


def spot_price_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeSpotPriceHistory item -> SpotPrice fields."""
    kind, zone = raw.get("InstanceType", ""), raw.get("AvailabilityZone", "")
    product = raw.get("ProductDescription", "")
    return {
        "price_key": f"{kind}/{zone}/{product}",
        "instance_type": kind,
        "availability_zone": zone,
        "product_description": product,
        "usd_per_hour": _money(raw.get("SpotPrice"), "0.000001"),
        "timestamp": when(raw.get("Timestamp")),
        "tags": {},
    }


def list_price_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """fleetui.aws.pricing item ({"Kind", "Subject", "Product": a parsed PriceList product}) -> ListPrice fields.

    The price is terms.OnDemand.<term>.priceDimensions.<dimension>.pricePerUnit.USD of the product's one on-demand
    term and dimension (a price with ranges, beginRange > 0, is not one AWS bills EC2 hours or EBS GB-months by)."""
    subject, product = raw["Subject"], raw["Product"]
    terms = list((product.get("terms") or {}).get("OnDemand", {}).values())
    term = terms[0] if terms else {}
    dimensions = sorted((term.get("priceDimensions") or {}).values(), key=lambda d: float(d.get("beginRange") or 0))
    dimension = dimensions[0] if dimensions else {}
    name = subject.get("instance_type") or subject.get("volume_type") or subject.get("family") or ""
    platform, tenancy = subject.get("platform", ""), subject.get("tenancy", "")
    return {
        "price_key": "|".join((raw["Kind"], name, platform, tenancy)),
        "kind": raw["Kind"],
        "subject": name,
        "platform": platform,
        "tenancy": tenancy,
        "usd": _money((dimension.get("pricePerUnit") or {}).get("USD"), "0.00000001"),
        "unit": dimension.get("unit", ""),
        "sku": (product.get("product") or {}).get("sku", ""),
        "effective_date": when(term.get("effectiveDate")),
        "description": (dimension.get("description") or "")[:255],
        "tags": {},
    }
