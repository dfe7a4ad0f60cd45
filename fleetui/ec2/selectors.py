"""Reads of EC2's inventory. Pages, CSV exports and the API all filter through these.

Each `<thing>_list` is a fleetui.core.selectors.Selector: `<thing>_list(filters=...)` returns `(filterset, queryset)`
for the page and the CSV, and the API's viewset reads the same rows through the same FilterSet.
Querysets select the related rows their tables print, so a page costs the same number of queries at any
page size.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from fleetui.core.menu import NOT_OWNED, owner_services
from fleetui.core.selectors import Selector, count_in_scope, with_account
from fleetui.inventory.models import Account

from .costs import Rate, ReservedShare, instance_rate
from .coverage import platform_key
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
    Image,
    Instance,
    InstanceType,
    KeyPair,
    NetworkInterface,
    PlacementGroup,
    ReservationUse,
    ReservedInstance,
    ScheduledInstance,
    SecurityGroup,
    SpotPrice,
    Volume,
)
from .reservations import instance_coverage

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
    return InstanceDetail(
        instance=instance,
        volumes=list(Volume.objects.filter(instance_id=instance_id, **scope).order_by("device")),
        network_interfaces=list(
            NetworkInterface.objects.filter(instance_id=instance_id, **scope).order_by("device_index")
        ),
        security_groups=list(SecurityGroup.objects.filter(group_id__in=group_ids, **scope)),
        elastic_ips=list(ElasticIP.objects.filter(instance_id=instance_id, **scope)),
        image=Image.objects.filter(image_id=instance.image_id, **scope).first() if instance.image_id else None,
        console_url=instance_console_url(region=region, instance_id=instance_id),
        coverage=coverage,
        cost=instance_cost(instance, coverage),
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


def instance_cost(instance: Instance, coverage: list[dict[str, Any]]) -> Rate:
    """What the instance costs per hour now (fleetui.ec2.costs), from the synced spot prices and reservations.
    On-demand list prices are not synced yet, so an uncovered on-demand instance's rate is unknown."""
    spot = None
    if instance.lifecycle == "spot":
        row = (
            SpotPrice.objects.filter(
                gone_at__isnull=True,
                region=instance.region,
                instance_type=instance.instance_type_id or "",
                availability_zone=instance.availability_zone,
                product_description=platform_key(instance.platform),
            )
            .order_by("-last_seen")
            .first()
        )
        if row is not None:
            spot = Rate(row.usd_per_hour, "spot price, DescribeSpotPriceHistory", row.timestamp or row.last_seen)
    reserved = [
        ReservedShare(
            instance_type=use["reservation"].instance_type,
            fixed_price=use["reservation"].fixed_price or Decimal(0),
            hourly_charge=reservation_hourly_charge(use["reservation"]),
            duration_seconds=use["reservation"].duration_seconds,
            units=use["units"],
        )
        for use in coverage
    ]
    return instance_rate(
        state=instance.state,
        lifecycle=instance.lifecycle,
        tenancy=instance.tenancy,
        instance_type=instance.instance_type_id or "",
        reserved=reserved,
        spot=spot,
        on_demand=None,
    )


def reservation_hourly_charge(reservation: ReservedInstance) -> Decimal:
    """The hourly part of a reservation's price: its usage price plus its hourly recurring charges."""
    charges = sum(
        (Decimal(c["amount"] or 0) for c in reservation.recurring_charges if c["frequency"] == "Hourly"), Decimal(0)
    )
    return charges + (reservation.usage_price or Decimal(0))


def instance_console_url(*, region: str, instance_id: str) -> str:
    """The instance's page in the AWS console."""
    return f"https://{region}.console.aws.amazon.com/ec2/home?region={region}#InstanceDetails:instanceId={instance_id}"


# --- Overview --------------------------------------------------------------------------------------------------

OVERVIEW_DIMENSIONS = {
    # title: (group-by column, instance-list query parameter). The order is instance_overview_mix_idx's, so the
    # count of each combination is one ordered pass over that small index (no table read, no sort, no hash).
    "Account": ("account_id", "account"),
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

    A fixed number of queries whatever the fleet's size: the count of each combination of the dimensions (a few
    thousand rows at most, added up per dimension here) read from a covering index alone, one scan for the
    instances' findings, and one query for the owners (_owned_counts).
    """
    columns = [column for column, _ in OVERVIEW_DIMENSIONS.values()]
    combinations = Instance.objects.filter(gone_at__isnull=True).order_by().values_list(*columns).annotate(n=Count("*"))
    counters: list[Counter] = [Counter() for _ in columns]
    for *values, n in combinations:
        for counter, value in zip(counters, values, strict=True):
            counter[value] += n
    accounts = {pk: (number, name) for pk, number, name in Account.objects.values_list("pk", "account_id", "name")}
    counters[0] = Counter({accounts[pk][0]: n for pk, n in counters[0].items()})
    names = dict(accounts.values())
    breakdowns: dict[str, list[Bucket]] = {}
    for (title, (_, param)), counter in zip(OVERVIEW_DIMENSIONS.items(), counters, strict=True):
        top = max(counter.values(), default=0) or 1
        ranked = sorted(counter.items(), key=lambda item: (-item[1], str(item[0] or "")))
        breakdowns[title] = [
            Bucket(str(v or ""), n, round(100 * n / top, 1), param, _label(param, v, names)) for v, n in ranked
        ]
    total = sum(counters[0].values())
    findings, owners = _instance_findings_and_owners()
    return FleetOverview(total=total, breakdowns=breakdowns, findings={**findings, **audit_findings()}, owners=owners)


def _instance_findings_and_owners() -> tuple[dict[str, int], list[Bucket]]:
    """The instances' audit findings (one conditional aggregate), and live instances by the service that runs them:
    plain EC2 first, then each service that declares which instances it owns (an instance two services claim counts
    for both)."""
    findings = Instance.objects.filter(gone_at__isnull=True).aggregate(
        live=Count("*"),
        no_key_pair=Count("pk", filter=Q(key_name="")),
        missing_owner=Count("pk", filter=~Q(tags__has_key="Owner")),
        public_ip=Count("pk", filter=Q(public_ip__isnull=False, state="running")),
        stopped=Count("pk", filter=Q(state="stopped")),
        instance_store=Count("pk", filter=Q(state="running", has_instance_store=True)),
    )
    services = owner_services("instances")
    claimed, by_service = _owned_counts([item.owned_q() for item in services])
    by_owner = {NOT_OWNED: findings.pop("live") - claimed}
    by_owner |= {item.app: n for item, n in zip(services, by_service, strict=True)}
    labels = {NOT_OWNED: "Plain EC2", **{item.app: item.label for item in services}}
    top = max(by_owner.values(), default=0) or 1
    owners = [Bucket(key, n, round(100 * n / top, 1), "owner", labels[key]) for key, n in by_owner.items()]
    return findings, owners


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
