"""The launch form's choices, names first: instance types grouped by family, and the scope's AMIs, subnets, zones,
security groups, key pairs and placement groups.

Most come from the inventory of the chosen account and region. The inventory holds neither subnets nor the AMIs
other owners share, so:
- subnets are read live (DescribeSubnets) when the form is drawn, once per form;
- the AMIs offered are the account's own (the inventory's) and those the scope's instances already run; an AMI of
  another owner can still be given by id through the API, or as the page's `?p-image_id=` (kept as a choice).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Count, Model, QuerySet

from fleetui.aws import AwsError
from fleetui.aws.ec2_launch import subnets_list
from fleetui.ec2.catalog import CATEGORY_LABELS
from fleetui.ec2.models import Image, Instance, InstanceType, KeyPair, PlacementGroup, SecurityGroup
from fleetui.inventory.sync import account_ref

Choices = list[tuple[str, str]]
# The type a launch starts at when the catalog has it: the smallest burstable current type, as the AWS console does.
DEFAULT_TYPE = "t3.micro"
MAX_IMAGES = 500
_DIGITS = re.compile(r"(\d+)")


def in_scope(model: type[Model], account: Any, region: str) -> QuerySet[Any]:
    """Live rows of `model` in the account and region (either may be open: every enabled one)."""
    rows = model.objects.filter(gone_at__isnull=True)  # type: ignore[attr-defined]
    if account is not None:
        rows = rows.filter(account=account)
    return rows.filter(region=region) if region else rows


def memory_label(mib: int) -> str:
    return f"{mib / 1024:g} GiB"


def _natural(text: str) -> list[Any]:
    """`t3a` after `t3` and `m5` before `m10`: digits compare as numbers."""
    return [int(part) if part.isdigit() else part for part in _DIGITS.split(text)]


def type_choices() -> list[tuple[str, Choices]]:
    """The catalog as one <optgroup> per family, "m5 — General purpose", general purpose first, each type as
    "m5.large — 2 vCPU, 8 GiB", smallest first."""
    order = list(CATEGORY_LABELS)
    rows = InstanceType.objects.values_list("name", "family", "category", "vcpus", "memory_mib", "current_generation")
    ranked = sorted(
        rows,
        key=lambda r: (order.index(r[2]) if r[2] in order else len(order), _natural(r[1]), r[3], r[4], r[0]),
    )
    groups: dict[str, Choices] = {}
    for name, family, category, vcpus, memory, current in ranked:
        group = f"{family} — {CATEGORY_LABELS.get(category, 'Other')}"
        older = "" if current else " (previous generation)"
        groups.setdefault(group, []).append((name, f"{name} — {vcpus} vCPU, {memory_label(memory)}{older}"))
    return list(groups.items())


def type_default() -> str:
    """t3.micro when the catalog has it, else its smallest current-generation type, else ""."""
    if InstanceType.objects.filter(name=DEFAULT_TYPE).exists():
        return DEFAULT_TYPE
    smallest = InstanceType.objects.filter(current_generation=True).order_by("vcpus", "memory_mib", "name").first()
    return smallest.name if smallest else ""


def _named(name: str, key: str) -> str:
    return f"{name} ({key})" if name and name != key else key


def image_choices(account: Any, region: str, entered: str) -> list[tuple[str, Choices]]:
    """The account's own available AMIs, newest first, then the AMIs the scope's instances run; `entered` (an id
    given by URL or a refused post) is kept as a choice."""
    own = in_scope(Image, account, region).filter(state="available").order_by("-creation_date")[:MAX_IMAGES]
    names = {image.image_id: image for image in own}
    mine = [(i.image_id, f"{_named(i.name, i.image_id)} · {i.architecture}") for i in names.values()]
    running = (
        in_scope(Instance, account, region)
        .exclude(image_id="")
        .exclude(image_id__in=list(names))
        .values("image_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "image_id")[:MAX_IMAGES]
    )
    used = [(row["image_id"], f"{row['image_id']} · run by {row['n']} instance(s)") for row in running]
    groups = [(label, rows) for label, rows in (("My AMIs", mine), ("AMIs the fleet runs", used)) if rows]
    known = {value for _, rows in groups for value, _ in rows}
    if entered and entered not in known:
        groups.insert(0, ("Given", [(entered, f"{entered} (given by id)")]))
    return groups


def subnets_of(account: Any, region: str) -> tuple[list[dict[str, Any]], str]:
    """The region's subnets (DescribeSubnets) and "" — or [] and why they could not be read."""
    if account is None or not region:
        return [], "Choose an account and region first."
    try:
        return subnets_list(account=account_ref(account), region=region), ""
    except AwsError as error:
        return [], f"Could not list the subnets: {error}"


def subnet_choices(subnets: Iterable[dict[str, Any]], entered: str) -> Choices:
    """ "web-a (subnet-0abc) · us-east-1a · 10.0.1.0/24", by name; the default VPC's subnets say so."""
    rows = []
    for subnet in subnets:
        name = next((t["Value"] for t in subnet.get("Tags", []) if t.get("Key") == "Name"), "")
        default = " · default" if subnet.get("DefaultForAz") else ""
        label = f"{_named(name, subnet['SubnetId'])} · {subnet.get('AvailabilityZone', '')} · "
        rows.append((name.lower() or "~", subnet["SubnetId"], f"{label}{subnet.get('CidrBlock', '')}{default}"))
    choices = [(value, label) for _, value, label in sorted(rows)]
    if entered and entered not in {value for value, _ in choices}:
        choices.append((entered, f"{entered} (given by id)"))
    return [("", "Any: AWS picks the zone's default subnet"), *choices]


def zone_choices(account: Any, region: str, subnets: Iterable[dict[str, Any]], entered: str) -> Choices:
    """The zones the region's subnets and inventory show, and `entered`."""
    zones = {s["AvailabilityZone"] for s in subnets if s.get("AvailabilityZone")}
    known = in_scope(Instance, account, region).exclude(availability_zone="")
    zones |= set(known.values_list("availability_zone", flat=True).distinct())
    if entered:
        zones.add(entered)
    return [("", "Any: AWS picks"), *((zone, zone) for zone in sorted(zones))]


def scoped_choices(rows: Iterable[Any], key: str, label: Callable[[Any], str], region: str) -> Choices:
    """(value, label) per row, once per value; while the region is open, labels say where each row lives."""
    choices: dict[str, tuple[str, str]] = {}
    for row in rows:
        value = getattr(row, key)
        text = label(row) + ("" if region else f" · {row.region}")
        choices.setdefault(value, (value, text))
    return list(choices.values())


def resource_choices(account: Any, region: str) -> dict[str, Choices]:
    """Placement groups, key pairs and security groups of the scope, names first."""
    groups = in_scope(PlacementGroup, account, region).order_by("group_name")
    keys = in_scope(KeyPair, account, region).order_by("key_name")
    sgs = in_scope(SecurityGroup, account, region).order_by("group_name", "group_id")
    return {
        "placement_group": scoped_choices(groups, "group_name", lambda g: f"{g.group_name} ({g.strategy})", region),
        "key_name": scoped_choices(keys, "key_name", lambda k: k.key_name, region),
        "security_groups": scoped_choices(sgs, "group_id", _group_label, region),
    }


def _group_label(group: SecurityGroup) -> str:
    """ "web (sg-0abc) · vpc-0def": the VPC matters, since a launch's groups must be in its subnet's VPC."""
    return _named(group.group_name, group.group_id) + (f" · {group.vpc_id}" if group.vpc_id else "")
