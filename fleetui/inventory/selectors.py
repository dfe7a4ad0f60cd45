"""Reads of the inventory. Pages, CSV exports and the API all filter through these.

Each `<thing>_list(*, filters)` returns `(filterset, queryset)`: the bound FilterSet (its `form`
carries any validation errors) and the filtered queryset, or an empty queryset when a filter value
is invalid, so a caller can never show unfiltered rows by mistake. Querysets select the related
rows their tables print, so a page costs the same number of queries at any page size.
"""

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import django_filters as df
from django.conf import settings
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .filters import (
    ElasticIPFilterSet,
    ImageFilterSet,
    InstanceFilterSet,
    InstanceTypeFilterSet,
    KeyPairFilterSet,
    PlacementGroupFilterSet,
    SecurityGroupFilterSet,
    SyncRunFilterSet,
)
from .models import (
    Account,
    ElasticIP,
    Image,
    Instance,
    InstanceType,
    KeyPair,
    NetworkInterface,
    PlacementGroup,
    SecurityGroup,
    SyncRun,
    Volume,
)
from .scope_status import ScopeRuns, scope_runs_list

# An own AMI older than this is an audit finding (old images pile up and cost snapshot storage).
OLD_IMAGE_DAYS = 180
# The tags every instance should carry; a missing one is an audit finding.
REQUIRED_TAGS = ("Owner",)


def _filtered(filterset_class: type[df.FilterSet], queryset: QuerySet, filters: Mapping[str, Any]) -> tuple:
    filterset = filterset_class(data=filters or {}, queryset=queryset)
    if not filterset.is_valid():
        return filterset, queryset.none()
    return filterset, filterset.qs


def instance_list(*, filters: Mapping[str, Any]) -> tuple[InstanceFilterSet, QuerySet[Instance]]:
    """Instances matching `filters` (InstanceFilterSet's query parameters), with type and account joined."""
    queryset = Instance.objects.select_related("account", "instance_type")
    return _filtered(InstanceFilterSet, queryset, filters)


def placement_group_list(*, filters: Mapping[str, Any]) -> tuple[PlacementGroupFilterSet, QuerySet[PlacementGroup]]:
    """Placement groups, each annotated with `member_count`: its live instances in the same account and region."""
    members = Instance.objects.filter(gone_at__isnull=True)
    queryset = PlacementGroup.objects.select_related("account").annotate(
        member_count=_count_matching(members, placement_group=F("group_name"))
    )
    return _filtered(PlacementGroupFilterSet, queryset, filters)


def key_pair_list(*, filters: Mapping[str, Any]) -> tuple[KeyPairFilterSet, QuerySet[KeyPair]]:
    """Key pairs, each annotated with `instance_count`: live instances launched with it (same account, region)."""
    users = Instance.objects.filter(gone_at__isnull=True)
    queryset = KeyPair.objects.select_related("account").annotate(
        instance_count=_count_matching(users, key_name=F("key_name"))
    )
    return _filtered(KeyPairFilterSet, queryset, filters)


def elastic_ip_list(*, filters: Mapping[str, Any]) -> tuple[ElasticIPFilterSet, QuerySet[ElasticIP]]:
    """Elastic IPs; unattached ones (no association) first, since they cost money for nothing."""
    queryset = ElasticIP.objects.select_related("account").order_by("-association_id", "public_ip")
    return _filtered(ElasticIPFilterSet, queryset, filters)


def image_list(*, filters: Mapping[str, Any]) -> tuple[ImageFilterSet, QuerySet[Image]]:
    """Own AMIs, newest first."""
    return _filtered(ImageFilterSet, Image.objects.select_related("account"), filters)


def security_group_list(*, filters: Mapping[str, Any]) -> tuple[SecurityGroupFilterSet, QuerySet[SecurityGroup]]:
    """Security groups; `world_open=true` keeps those open to the world on 22/3389."""
    return _filtered(SecurityGroupFilterSet, SecurityGroup.objects.select_related("account"), filters)


def instance_type_list(*, filters: Mapping[str, Any]) -> tuple[InstanceTypeFilterSet, QuerySet[InstanceType]]:
    """The instance-type catalog."""
    return _filtered(InstanceTypeFilterSet, InstanceType.objects.all(), filters)


def sync_run_list(*, filters: Mapping[str, Any]) -> tuple[SyncRunFilterSet, QuerySet[SyncRun]]:
    """Sync runs, newest first, with their account."""
    return _filtered(SyncRunFilterSet, SyncRun.objects.select_related("account"), filters)


def _count_matching(queryset: QuerySet, **match: Any):
    """A correlated COUNT subquery of `queryset` rows in the outer row's account and region matching `match`."""
    counted = (
        queryset.filter(account=OuterRef("account"), region=OuterRef("region"), **_outer(match))
        .order_by()
        .values("account")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _outer(match: dict[str, Any]) -> dict[str, Any]:
    # F("x") in the caller names the outer row's column; a subquery needs OuterRef for it.
    return {key: OuterRef(value.name) if isinstance(value, F) else value for key, value in match.items()}  # type: ignore[attr-defined]


def account_list() -> QuerySet[Account]:
    """Every account, enabled first."""
    return Account.objects.order_by("-enabled", "name")


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


def instance_detail(*, account_id: str, region: str, instance_id: str) -> InstanceDetail:
    """One instance with what hangs off it (matched by instance id in its account and region).

    Raises Instance.DoesNotExist when no such instance was ever synced (gone ones are still shown).
    """
    instance = Instance.objects.select_related("account", "instance_type").get(
        account__account_id=account_id, region=region, instance_id=instance_id
    )
    scope = {"account_id": instance.account_id, "region": region, "gone_at__isnull": True}
    group_ids = [sg.get("id") for sg in instance.security_groups or [] if sg.get("id")]
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
    )


def instance_console_url(*, region: str, instance_id: str) -> str:
    """The instance's page in the AWS console."""
    return f"https://{region}.console.aws.amazon.com/ec2/home?region={region}#InstanceDetails:instanceId={instance_id}"


# --- Overview --------------------------------------------------------------------------------------------------

OVERVIEW_DIMENSIONS = {
    # title: (group-by column, instance-list query parameter)
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


def fleet_overview() -> FleetOverview:
    """Live instances counted by each of OVERVIEW_DIMENSIONS, plus the audit findings.

    One scan: count each combination of the dimensions (a few thousand rows at most), then add the
    combinations up per dimension here, rather than one full scan per dimension.
    """
    columns = [column for column, _ in OVERVIEW_DIMENSIONS.values()]
    combinations = (
        Instance.objects.filter(gone_at__isnull=True).order_by().values_list(*columns).annotate(n=Count("pk"))
    )
    counters: list[Counter] = [Counter() for _ in columns]
    for *values, n in combinations:
        for counter, value in zip(counters, values, strict=True):
            counter[value] += n
    names = dict(Account.objects.values_list("account_id", "name"))
    breakdowns: dict[str, list[Bucket]] = {}
    for (title, (_, param)), counter in zip(OVERVIEW_DIMENSIONS.items(), counters, strict=True):
        top = max(counter.values(), default=0) or 1
        ranked = sorted(counter.items(), key=lambda item: (-item[1], str(item[0] or "")))
        breakdowns[title] = [
            Bucket(str(v or ""), n, round(100 * n / top, 1), param, _label(param, v, names)) for v, n in ranked
        ]
    total = sum(counters[0].values())
    return FleetOverview(total=total, breakdowns=breakdowns, findings=audit_findings())


def _label(param: str, value: Any, account_names: dict[str, str]) -> str:
    if param == "account":
        return account_names.get(value, "")
    return str(value or "").replace("_", " ").replace("-", " ") if param == "category" else str(value or "")


def audit_findings() -> dict[str, int]:
    """Counts of what an auditor asks about first. Keys match the overview's tiles."""
    instances = Instance.objects.filter(gone_at__isnull=True).aggregate(
        no_key_pair=Count("pk", filter=Q(key_name="")),
        missing_owner=Count("pk", filter=~Q(tags__has_key="Owner")),
        public_ip=Count("pk", filter=Q(public_ip__isnull=False, state="running")),
        stopped=Count("pk", filter=Q(state="stopped")),
    )
    return {
        **instances,
        "unattached_eips": ElasticIP.objects.filter(gone_at__isnull=True, association_id="").count(),
        "world_open_sgs": SecurityGroup.objects.filter(gone_at__isnull=True, world_open_admin=True).count(),
        "old_images": Image.objects.filter(gone_at__isnull=True, creation_date__lt=old_image_cutoff()).count(),
    }


def old_image_cutoff() -> dt.datetime:
    """AMIs created before this are old (OLD_IMAGE_DAYS)."""
    return timezone.now() - dt.timedelta(days=OLD_IMAGE_DAYS)


# --- Freshness -------------------------------------------------------------------------------------------------


@dataclass
class Freshness:
    """How fresh the inventory is: `as_of` is the oldest of the scopes' latest successful syncs."""

    as_of: dt.datetime | None
    newest: dt.datetime | None
    scopes: int
    failed_scopes: int
    stale: bool
    scope_statuses: list[ScopeRuns]

    @property
    def warning(self) -> bool:
        return self.stale or self.failed_scopes > 0 or self.as_of is None


# A discovered region's scope with no run for this long is forgotten: a region that discovery stopped
# returning shows as stale (and its last failure as failed) for a day, or 24 x FLEETUI_STALE_AFTER if
# that is longer, then drops out. Configured regions (FLEETUI_REGIONS) are never forgotten this way.
RETENTION_STALE_PERIODS = 24
MIN_RETENTION = dt.timedelta(days=1)


def _planned(statuses: list[ScopeRuns], *, now: dt.datetime) -> list[ScopeRuns]:
    """The scopes a sync still plans, judged from their history alone (no AWS call, no query).

    With settings.FLEETUI_REGIONS set, only scopes in those regions: a region removed from it, and the
    ("*", "regions") discovery scope of an earlier, unconfigured setup, no longer count. Otherwise regions
    are discovered, so a scope whose latest finished run is older than the retention (see
    RETENTION_STALE_PERIODS) is dropped; a scope that has only a running run is kept.
    """
    configured = set(settings.FLEETUI_REGIONS)
    if configured:
        return [s for s in statuses if s.region in configured]
    retention = max(MIN_RETENTION, dt.timedelta(seconds=RETENTION_STALE_PERIODS * settings.FLEETUI_STALE_AFTER))
    return [s for s in statuses if s.last_finished is None or now - s.last_finished <= retention]


def sync_freshness(*, now: dt.datetime | None = None) -> Freshness:
    """The freshness of the whole inventory, in one query over enabled accounts' SyncRuns.

    A scope is (account, region, resource type). The data is stale when some scope's latest success is
    older than settings.FLEETUI_STALE_AFTER seconds (or it never succeeded); a scope failed when its
    latest finished run did not succeed. Running syncs are ignored until they finish. Only scopes that
    are still planned count (`_planned`): disabled or deleted accounts, regions no longer in
    FLEETUI_REGIONS, and discovered regions with no run for a day (RETENTION_STALE_PERIODS) are
    ignored. Region discovery is a scope too: (account, "*", "regions"). The cost follows the number of
    scopes, not the length of the history (see scope_status.py).
    """
    now = now or timezone.now()
    scopes = _planned(scope_runs_list(enabled_only=True), now=now)
    statuses = [s for s in scopes if s.last_finished is not None]
    successes = [s.last_success for s in statuses if s.last_success]
    never = any(s.last_success is None for s in statuses)
    as_of = min(successes, default=None)
    limit = dt.timedelta(seconds=settings.FLEETUI_STALE_AFTER)
    return Freshness(
        as_of=as_of,
        newest=max(successes, default=None),
        scopes=len(statuses),
        failed_scopes=sum(s.failed for s in statuses),
        stale=never or as_of is None or now - as_of > limit,
        scope_statuses=statuses,
    )


def sync_status_matrix(*, now: dt.datetime | None = None) -> dict[int, list[SyncRun]]:
    """The latest run of each still planned scope (any status; see `_planned`), grouped by account row id.

    Disabled accounts keep their grid, so an admin sees how they last synced. Two queries.
    """
    scopes = _planned(scope_runs_list(enabled_only=False), now=now or timezone.now())
    ids = [s.latest_run_id for s in scopes if s.latest_run_id]
    matrix: dict[int, list[SyncRun]] = {}
    for run in SyncRun.objects.filter(pk__in=ids).order_by("region", "resource_type"):
        matrix.setdefault(run.account_id, []).append(run)
    return matrix
