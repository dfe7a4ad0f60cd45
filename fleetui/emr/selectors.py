"""Reads of the EMR inventory for the pages, the CSV exports, the API, the home page's panel and EC2's instance page.

Each list is a `Selector` (fleetui.core.selectors). A cluster row carries `last_activity`: the later of its ready
time and its newest step's end (PostgreSQL's GREATEST skips NULLs), which the idle finding compares with an hour
ago. The detail selector costs a fixed number of queries whatever the number of groups, steps or instances.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone

from fleetui.core.menu import Owner
from fleetui.core.selectors import Selector, count_in_scope, with_account
from fleetui.ec2.links import Instance, instances_by_id

from .filters import (
    ClusterFilterSet,
    InstanceFilterSet,
    InstanceGroupFilterSet,
    StepFilterSet,
    idle_q,
    no_auto_termination_q,
)
from .models import IDLE_AFTER_SECONDS, EmrCluster, EmrInstance, InstanceGroup, Step

STEPS_SHOWN = 50  # on the cluster page; the steps list has them all


def _last_step_end() -> Subquery:
    steps = Step.objects.filter(
        account=OuterRef("account"), region=OuterRef("region"), cluster_id=OuterRef("cluster_id")
    ).order_by()
    return Subquery(steps.values("cluster_id").annotate(last=Max("ended_at")).values("last")[:1])


def clusters() -> QuerySet[EmrCluster]:
    """Clusters with `last_activity`, `group_count` (live groups or fleets) and `instance_count` (live instances)."""

    def live(model: Any) -> Any:
        return count_in_scope(model.objects.filter(gone_at__isnull=True), cluster_id=F("cluster_id"))

    return EmrCluster.objects.select_related("account").annotate(
        last_activity=Greatest("ready_at", _last_step_end()),
        group_count=live(InstanceGroup),
        instance_count=live(EmrInstance),
    )


cluster_list = Selector(ClusterFilterSet, clusters)
instance_group_list = Selector(InstanceGroupFilterSet, with_account(InstanceGroup))
step_list = Selector(StepFilterSet, with_account(Step))
instance_list = Selector(InstanceFilterSet, with_account(EmrInstance))


def cluster_url(row: Any) -> str:
    return reverse("emr:cluster_detail", args=[row.account.account_id, row.region, row.cluster_id])


def console_url(*, region: str, cluster_id: str) -> str:
    return f"https://{region}.console.aws.amazon.com/emr/home?region={region}#/clusterDetails/{cluster_id}"


@dataclass
class InstanceRow:
    instance: EmrInstance
    ec2: Instance | None  # its row in the EC2 inventory, when synced
    group: InstanceGroup | None


@dataclass
class ClusterDetail:
    cluster: EmrCluster
    groups: list[InstanceGroup]
    steps: list[Step]
    instances: list[InstanceRow]
    console_url: str
    is_idle: bool
    lacks_auto_termination: bool


def is_idle(row: Any) -> bool:
    """The idle finding for one annotated row (filters.idle_q's test, in Python)."""
    since = timezone.now() - timedelta(seconds=IDLE_AFTER_SECONDS)
    return row.state == "WAITING" and row.last_activity is not None and row.last_activity < since


def cluster_detail(*, account_id: str, region: str, cluster_id: str) -> ClusterDetail:
    """One cluster with its live groups, its newest steps and its live instances linked to EC2 (5 queries). Raises
    EmrCluster.DoesNotExist when no such cluster was ever synced (a gone one is still shown)."""
    row = clusters().get(account__account_id=account_id, region=region, cluster_id=cluster_id)
    scope = {"account": row.account, "region": region, "cluster_id": cluster_id}
    groups = list(InstanceGroup.objects.filter(**scope, gone_at__isnull=True))
    instances = list(EmrInstance.objects.filter(**scope, gone_at__isnull=True))
    ec2 = instances_by_id(account=row.account, region=region, ids=[i.ec2_instance_id for i in instances])
    by_id = {group.instance_group_id: group for group in groups}
    return ClusterDetail(
        cluster=row,
        groups=sorted(groups, key=lambda g: (["MASTER", "CORE", "TASK"].index(g.group_type), g.name)),
        steps=list(Step.objects.filter(**scope, gone_at__isnull=True).order_by("-created_at")[:STEPS_SHOWN]),
        instances=[
            InstanceRow(i, ec2.get(i.ec2_instance_id), by_id.get(i.instance_group_id))
            for i in sorted(instances, key=lambda i: (i.instance_group_id, i.instance_id))
        ],
        console_url=console_url(region=region, cluster_id=cluster_id),
        is_idle=row.gone_at is None and is_idle(row),
        lacks_auto_termination=row.gone_at is None and row.is_active and not row.has_auto_termination,
    )


def instance_owners(*, account: Any, region: str, ids: Sequence[str]) -> dict[str, list[Owner]]:
    """{EC2 instance id: the EMR cluster and group it runs in} for an EC2 instance's page (two queries): "EMR
    cluster etl-nightly, TASK group Task - spot (spot)"."""
    rows = list(
        EmrInstance.objects.filter(account=account, region=region, ec2_instance_id__in=list(ids), gone_at__isnull=True)
        .select_related("account")
        .order_by("cluster_name")
    )
    if not rows:
        return {}
    groups = {
        g.instance_group_id: g
        for g in InstanceGroup.objects.filter(
            account=account, region=region, instance_group_id__in={r.instance_group_id for r in rows}
        )
    }
    found: dict[str, list[Owner]] = {}
    for row in rows:
        group = groups.get(row.instance_group_id)
        label = row.cluster_name or row.cluster_id
        if group is not None:
            market = " (spot)" if row.market == "SPOT" else ""
            kind = "fleet" if group.collection == InstanceGroup.Collection.FLEET else "group"
            label = f"{label}, {group.group_type} {kind} {group.name or group.instance_group_id}{market}"
        found.setdefault(row.ec2_instance_id, []).append(Owner("EMR cluster", label, cluster_url(row)))
    return found


@dataclass
class EmrOverview:
    """The home page's EMR panel: live clusters, their instances by market, and the two findings."""

    clusters: int
    spot_instances: int
    on_demand_instances: int
    idle: int
    no_auto_termination: int

    @property
    def instances(self) -> int:
        return self.spot_instances + self.on_demand_instances

    @property
    def spot_percent(self) -> int:
        return round(100 * self.spot_instances / self.instances) if self.instances else 0


def emr_overview() -> EmrOverview:
    """Live clusters and instances of enabled accounts (2 queries: one conditional aggregate per table)."""
    live = clusters().filter(gone_at__isnull=True, account__enabled=True)
    by_cluster = live.aggregate(
        clusters=Count("pk", filter=Q(state__in=("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"))),
        idle=Count("pk", filter=idle_q()),
        no_auto_termination=Count("pk", filter=no_auto_termination_q()),
    )
    instances = EmrInstance.objects.filter(gone_at__isnull=True, account__enabled=True).aggregate(
        spot_instances=Count("pk", filter=Q(market="SPOT")),
        on_demand_instances=Count("pk", filter=~Q(market="SPOT")),
    )
    return EmrOverview(**by_cluster, **instances)


def instances_owned() -> Q:
    """The EC2 instances that are live instances of an EMR cluster."""
    members = EmrInstance.objects.filter(
        account=OuterRef("account"), region=OuterRef("region"), ec2_instance_id=OuterRef("instance_id"),
        gone_at__isnull=True,
    )  # fmt: skip
    return Q(Exists(members))
