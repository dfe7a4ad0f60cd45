"""Reads of EC2's inventory. Pages, CSV exports and the API all filter through these.

Each `<thing>_list` is a fleetui.core.selectors.Selector: `<thing>_list(filters=...)` returns `(filterset, queryset)`
for the page and the CSV, and the API's viewset reads the same rows through the same FilterSet.
Querysets select the related rows their tables print, so a page costs the same number of queries at any
page size.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from fleetui.core.menu import NOT_OWNED, owner_services
from fleetui.core.selectors import Selector, count_in_scope, with_account

from .costs import Rate
from .filters import (
    ElasticIPFilterSet,
    ImageFilterSet,
    InstanceFilterSet,
    InstanceTypeFilterSet,
    KeyPairFilterSet,
    NetworkInterfaceFilterSet,
    PlacementGroupFilterSet,
    ReservedInstanceFilterSet,
    SecurityGroupFilterSet,
    VolumeFilterSet,
)
from .findings import CRITICAL, SEVERITIES
from .models import (
    ElasticIP,
    FleetRollup,
    Image,
    Instance,
    InstanceType,
    KeyPair,
    ListPrice,
    NetworkInterface,
    PlacementGroup,
    ReservationUse,
    ReservedInstance,
    ScheduledInstance,
    SecurityGroup,
    Volume,
)
from .reservations import instance_coverage

CENTS = Decimal("0.01")
# An own AMI older than this is an audit finding (old images pile up and cost snapshot storage).
OLD_IMAGE_DAYS = 180
# The tags every instance should carry; a missing one is an audit finding.
REQUIRED_TAGS = ("Owner",)


def _instances() -> QuerySet[Instance]:
    """Instances with their type and account joined, each annotated with `reserved`: a Reserved Instance pays
    for it (the purchase-option column's "on-demand (reserved)")."""
    reserved = Exists(ReservationUse.objects.filter(instance=OuterRef("pk")))
    return Instance.objects.select_related("account", "instance_type").annotate(reserved=reserved)


def _reserved_instances() -> QuerySet[ReservedInstance]:
    """Reservations, each annotated with `used_units`: the normalized units running instances use now."""
    return ReservedInstance.objects.select_related("account").annotate(used_units=Coalesce(Sum("uses__units"), 0.0))


def _placement_groups() -> QuerySet[PlacementGroup]:
    """Placement groups, each annotated with `member_count`: its live instances in the same account and region."""
    members = Instance.objects.filter(gone_at__isnull=True)
    return PlacementGroup.objects.select_related("account").annotate(
        member_count=count_in_scope(members, placement_group=F("group_name"))
    )


def _key_pairs() -> QuerySet[KeyPair]:
    """Key pairs, each annotated with `instance_count`: live instances launched with it (same account, region)."""
    users = Instance.objects.filter(gone_at__isnull=True)
    return KeyPair.objects.select_related("account").annotate(
        instance_count=count_in_scope(users, key_name=F("key_name"))
    )


def _elastic_ips() -> QuerySet[ElasticIP]:
    """Elastic IPs; unattached ones (no association) first, since they cost money for nothing."""
    return ElasticIP.objects.select_related("account").order_by("-association_id", "public_ip")


def _security_groups() -> QuerySet[SecurityGroup]:
    """Security groups, the most severe findings first (`severity_rank` 0 is critical, 3 no finding)."""
    rank = Case(*(When(severity=level, then=n) for n, level in enumerate(SEVERITIES)), default=len(SEVERITIES))
    return (
        SecurityGroup.objects.select_related("account")
        .annotate(severity_rank=rank)
        .order_by("severity_rank", "group_name", "pk")
    )


instance_list = Selector(InstanceFilterSet, _instances)
placement_group_list = Selector(PlacementGroupFilterSet, _placement_groups)
key_pair_list = Selector(KeyPairFilterSet, _key_pairs)
elastic_ip_list = Selector(ElasticIPFilterSet, _elastic_ips)
image_list = Selector(ImageFilterSet, with_account(Image))  # own AMIs, newest first (the model's order)
security_group_list = Selector(SecurityGroupFilterSet, _security_groups)
instance_type_list = Selector(InstanceTypeFilterSet, InstanceType.objects.all)
reserved_instance_list = Selector(ReservedInstanceFilterSet, _reserved_instances)


def scheduled_instances() -> QuerySet[ScheduledInstance]:
    """Scheduled Reserved Instances (legacy; the page shows them only where any exist)."""
    return ScheduledInstance.objects.filter(gone_at__isnull=True).select_related("account")


# Lists only the API shows (their rows appear on the instance page).
network_interface_list = Selector(NetworkInterfaceFilterSet, with_account(NetworkInterface))
volume_list = Selector(VolumeFilterSet, with_account(Volume))


# --- Instance detail -------------------------------------------------------------------------------------------


@dataclass
class InstanceDetail:
    instance: Instance
    volumes: list[Volume]
    network_interfaces: list[NetworkInterface]
    security_groups: list[SecurityGroup]
    elastic_ips: list[ElasticIP]
    image: Image | None
    console_url: str
    # [{"reservation": ReservedInstance, "share": 0..1, "units": float}]; empty when no reservation pays for it.
    coverage: list[dict[str, Any]] = field(default_factory=list)
    cost: Rate | None = None
    ebs_per_month: Decimal | None = None  # its EBS volumes; None when a volume type has no price


def instance_detail(*, account_id: str, region: str, instance_id: str) -> InstanceDetail:
    """One instance with what hangs off it (matched by instance id in its account and region).

    Raises Instance.DoesNotExist when no such instance was ever synced (gone ones are still shown).
    """
    instance = Instance.objects.select_related("account", "instance_type").get(
        account__account_id=account_id, region=region, instance_id=instance_id
    )
    scope = {"account_id": instance.account_id, "region": region, "gone_at__isnull": True}
    group_ids = [sg.get("id") for sg in instance.security_groups or [] if sg.get("id")]
    coverage = instance_coverage(instance)
    volumes = list(Volume.objects.filter(instance_id=instance_id, **scope).order_by("device"))
    return InstanceDetail(
        instance=instance,
        volumes=volumes,
        network_interfaces=list(
            NetworkInterface.objects.filter(instance_id=instance_id, **scope).order_by("device_index")
        ),
        security_groups=list(SecurityGroup.objects.filter(group_id__in=group_ids, **scope)),
        elastic_ips=list(ElasticIP.objects.filter(instance_id=instance_id, **scope)),
        image=Image.objects.filter(image_id=instance.image_id, **scope).first() if instance.image_id else None,
        console_url=instance_console_url(region=region, instance_id=instance_id),
        coverage=coverage,
        cost=instance_cost(instance),
        ebs_per_month=volumes_cost(instance, volumes),
    )


@dataclass
class SecurityGroupDetail:
    group: SecurityGroup
    instances: int  # instances in its account and region that the last sync saw using it
    console_url: str


def security_group_detail(*, account_id: str, region: str, group_id: str) -> SecurityGroupDetail:
    """One security group (gone ones too) and how many instances use it; raises SecurityGroup.DoesNotExist."""
    group = SecurityGroup.objects.select_related("account").get(
        account__account_id=account_id, region=region, group_id=group_id
    )
    _, users = instance_list(filters={"account": account_id, "region": region, "security_group": group_id})
    return SecurityGroupDetail(
        group=group,
        instances=users.count(),
        console_url=f"https://{region}.console.aws.amazon.com/ec2/home?region={region}#SecurityGroup:groupId={group_id}",
    )


def instance_cost(instance: Instance) -> Rate:
    """What the instance costs per hour now, as fleetui.ec2.cost_store stored it (None: unknown, never 0)."""
    source = instance.get_cost_source_display() if instance.cost_source else "not priced yet"
    if instance.cost_source == "spot":
        source = f"spot price in {instance.availability_zone}"
    elif instance.cost_source == "host":
        source = f"share of dedicated host {instance.host_id}"
    return Rate(instance.cost_per_hour, source, instance.cost_as_of)


def volumes_cost(instance: Instance, volumes: list[Volume]) -> Decimal | None:
    """USD per month of the instance's EBS volumes (size x the region's GB-month list price of each type), or None
    when one of their types has no price."""
    prices = dict(
        ListPrice.objects.filter(
            account_id=instance.account_id, region=instance.region, kind="storage", gone_at__isnull=True
        ).values_list("subject", "usd")
    )
    total = Decimal(0)
    for volume in volumes:
        price = prices.get(volume.volume_type)
        if price is None:
            return None
        total += volume.size_gib * price
    return total.quantize(CENTS)


def instance_console_url(*, region: str, instance_id: str) -> str:
    """The instance's page in the AWS console."""
    return f"https://{region}.console.aws.amazon.com/ec2/home?region={region}#InstanceDetails:instanceId={instance_id}"


# --- Overview --------------------------------------------------------------------------------------------------

OVERVIEW_DIMENSIONS = {
    # title: (FleetRollup column, instance-list query parameter).
    "Account": ("account__account_id", "account"),
    "Region": ("region", "region"),
    "State": ("state", "state"),
    "Family": ("family", "family"),
    "Category": ("category", "category"),
    "Purchase option": ("lifecycle", "lifecycle"),
    "Tenancy": ("tenancy", "tenancy"),
}


@dataclass
class Bucket:
    value: str
    count: int
    percent: float  # of the largest bucket, for the bar's width
    param: str  # instance-list query parameter that selects this bucket
    label: str = ""  # what to show, when not the value itself (an account's name)


@dataclass
class FleetOverview:
    total: int
    breakdowns: dict[str, list[Bucket]]
    findings: dict[str, int] = field(default_factory=dict)
    owners: list[Bucket] = field(default_factory=list)  # live instances by the service that runs them


def fleet_overview() -> FleetOverview:
    """Live instances counted by each of OVERVIEW_DIMENSIONS, by owner service, and the audit findings.

    A fixed number of queries whatever the fleet's size: the FleetRollup rows (one per scope and combination of the
    dimensions, which fleetui.ec2.cost_store rebuilds whenever a scope's instances change: a few hundred, added up
    per dimension here) carry the counts and the instances' findings; one query counts the owners (_owned_counts).
    """
    counters, names, findings = _rollup_sums([column for column, _ in OVERVIEW_DIMENSIONS.values()])
    breakdowns: dict[str, list[Bucket]] = {}
    for (title, (_, param)), counter in zip(OVERVIEW_DIMENSIONS.items(), counters, strict=True):
        top = max(counter.values(), default=0) or 1
        ranked = sorted(counter.items(), key=lambda item: (-item[1], str(item[0] or "")))
        breakdowns[title] = [
            Bucket(str(v or ""), n, round(100 * n / top, 1), param, _label(param, v, names)) for v, n in ranked
        ]
    total = sum(counters[0].values())
    return FleetOverview(
        total=total, breakdowns=breakdowns, findings={**findings, **audit_findings()}, owners=_owners(total)
    )


def _rollup_sums(columns: list[str]) -> tuple[list[dict[Any, int]], dict[str, str], dict[str, int]]:
    """From the FleetRollup rows: the live instances of each value of each column, the accounts' names by number, and
    the instance findings' tiles (a public IP and instance store count on running instances, as their links filter)."""
    rows = FleetRollup.objects.order_by().values_list("account__name", *columns, *FleetRollup.COUNTS)
    counters: list[dict[Any, int]] = [{} for _ in columns]
    names: dict[str, str] = {}
    account, state = columns.index("account__account_id"), columns.index("state")
    no_key_pair = missing_owner = public_ip = stopped = instance_store = 0
    for name, *values, n, no_key, no_owner, public, store in rows:
        names[values[account]] = name
        for counter, value in zip(counters, values, strict=True):
            counter[value] = counter.get(value, 0) + n
        no_key_pair, missing_owner = no_key_pair + no_key, missing_owner + no_owner
        if values[state] == "running":
            public_ip, instance_store = public_ip + public, instance_store + store
        elif values[state] == "stopped":
            stopped += n
    findings = {"no_key_pair": no_key_pair, "missing_owner": missing_owner, "public_ip": public_ip}
    return counters, names, {**findings, "stopped": stopped, "instance_store": instance_store}


def _owners(live: int) -> list[Bucket]:
    """Live instances by the service that runs them: plain EC2 first, then each service that declares which instances
    it owns (an instance two services claim counts for both)."""
    services = owner_services("instances")
    claimed, by_service = _owned_counts([item.owned_q() for item in services])
    by_owner = {NOT_OWNED: live - claimed}
    by_owner |= {item.app: n for item, n in zip(services, by_service, strict=True)}
    labels = {NOT_OWNED: "Plain EC2", **{item.app: item.label for item in services}}
    top = max(by_owner.values(), default=0) or 1
    return [Bucket(key, n, round(100 * n / top, 1), "owner", labels[key]) for key, n in by_owner.items()]


def _owned_counts(conditions: list[Q]) -> tuple[int, list[int]]:
    """(live instances any condition holds for, live instances each holds for), in one query.

    Each condition filters the live instances on its own (WHERE), so PostgreSQL plans a service's EXISTS as a
    semi-join from its small table rather than a probe per instance (as it must in an aggregate's FILTER, or in an
    OR of them), and the union of their ids counts each claimed instance once. A row whose condition is NULL (a tag
    it lacks) is in no branch: not owned."""
    live = Instance.objects.filter(gone_at__isnull=True).order_by()
    branches = [
        live.filter(condition).annotate(owner=Value(number), owned_pk=F("pk")).values_list("owner", "owned_pk")
        for number, condition in enumerate(conditions)
    ]
    if not branches:
        return 0, []
    try:  # Django leaves out of a UNION a branch that can match nothing (a service with an empty list of ids)
        union, params = branches[0].union(*branches[1:], all=True).query.sql_with_params()
    except EmptyResultSet:  # every branch
        return 0, [0] * len(conditions)
    each = ", ".join(f"COUNT(*) FILTER (WHERE owner = {number:d})" for number in range(len(conditions)))
    with connection.cursor() as cursor:
        # Only Django's own SQL and integers are put together here.
        cursor.execute(f"SELECT COUNT(DISTINCT owned_pk), {each} FROM ({union}) AS owned", params)  # noqa: S608
        claimed, *counts = cursor.fetchone()
    return claimed, counts


def _label(param: str, value: Any, account_names: dict[str, str]) -> str:
    if param == "account":
        return account_names.get(value, "")
    return str(value or "").replace("_", " ").replace("-", " ") if param == "category" else str(value or "")


def audit_findings() -> dict[str, int]:
    """Counts of what an auditor asks about first in the other EC2 types. Keys match the overview's tiles; the
    instances' own findings come with fleet_overview's scan."""
    return {
        "unattached_eips": ElasticIP.objects.filter(gone_at__isnull=True, association_id="").count(),
        "critical_sgs": SecurityGroup.objects.filter(gone_at__isnull=True, severity=CRITICAL).count(),
        "old_images": Image.objects.filter(gone_at__isnull=True, creation_date__lt=old_image_cutoff()).count(),
    }


def old_image_cutoff() -> dt.datetime:
    """AMIs created before this are old (OLD_IMAGE_DAYS)."""
    return timezone.now() - dt.timedelta(days=OLD_IMAGE_DAYS)
