"""Reads of the EKS inventory for the pages, the CSV exports, the API, the home page's panel and EC2's instance page.

Each list is a `Selector` (fleetui.core.selectors). The detail selectors cost a fixed number of queries whatever the
number of nodegroups, profiles, add-ons or instances. A nodegroup's nodes are the EC2 instances (fleetui.ec2.links)
whose `aws:autoscaling:groupName` tag names one of its ASGs, or whose `eks:cluster-name` and `eks:nodegroup-name`
tags name it (EKS tags its nodes with all three).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.urls import reverse

from fleetui.core.menu import Owner
from fleetui.core.selectors import Selector, count_in_scope, with_account
from fleetui.ec2.links import Instance

from .filters import AddonFilterSet, ClusterFilterSet, FargateProfileFilterSet, NodegroupFilterSet
from .models import NODEGROUP_BAD_STATUSES, Addon, EksCluster, FargateProfile, Nodegroup

ASG_TAG = "aws:autoscaling:groupName"
CLUSTER_TAG = "eks:cluster-name"
NODEGROUP_TAG = "eks:nodegroup-name"


def _clusters() -> QuerySet[EksCluster]:
    """Clusters, each annotated with `nodegroup_count`, `fargate_profile_count` and `addon_count` (live ones)."""

    def live(model: Any) -> Any:
        return count_in_scope(model.objects.filter(gone_at__isnull=True), cluster_name=F("cluster_name"))

    return EksCluster.objects.select_related("account").annotate(
        nodegroup_count=live(Nodegroup), fargate_profile_count=live(FargateProfile), addon_count=live(Addon)
    )


cluster_list = Selector(ClusterFilterSet, _clusters)
nodegroup_list = Selector(NodegroupFilterSet, with_account(Nodegroup))
fargate_profile_list = Selector(FargateProfileFilterSet, with_account(FargateProfile))
addon_list = Selector(AddonFilterSet, with_account(Addon))


def cluster_url(row: Any) -> str:
    return reverse("eks:cluster_detail", args=[row.account.account_id, row.region, row.cluster_name])


def nodegroup_url(row: Any) -> str:
    return reverse(
        "eks:nodegroup_detail", args=[row.account.account_id, row.region, row.cluster_name, row.nodegroup_name]
    )


def console_url(*, region: str, cluster: str, nodegroup: str = "") -> str:
    base = f"https://{region}.console.aws.amazon.com/eks/home?region={region}#/clusters/{cluster}"
    return f"{base}/nodegroups/{nodegroup}" if nodegroup else base


@dataclass
class ClusterDetail:
    cluster: EksCluster
    nodegroups: list[Nodegroup]
    fargate_profiles: list[FargateProfile]
    addons: list[Addon]
    console_url: str

    @property
    def desired_nodes(self) -> int:
        return sum(ng.desired_size for ng in self.nodegroups)


def cluster_detail(*, account_id: str, region: str, cluster: str) -> ClusterDetail:
    """One cluster with its live nodegroups, Fargate profiles and add-ons (4 queries). Raises
    EksCluster.DoesNotExist when no such cluster was ever synced (a gone one is still shown)."""
    row = EksCluster.objects.select_related("account").get(
        account__account_id=account_id, region=region, cluster_name=cluster
    )
    scope = {"account": row.account, "region": region, "cluster_name": cluster, "gone_at__isnull": True}
    return ClusterDetail(
        cluster=row,
        nodegroups=list(Nodegroup.objects.filter(**scope)),
        fargate_profiles=list(FargateProfile.objects.filter(**scope)),
        addons=list(Addon.objects.filter(**scope)),
        console_url=console_url(region=region, cluster=cluster),
    )


@dataclass
class NodegroupDetail:
    nodegroup: Nodegroup
    cluster: EksCluster | None
    instances: list[Instance]  # its nodes in the EC2 inventory, live first
    console_url: str


def _nodes_of(nodegroup: Nodegroup) -> Q:
    by_asg = Q(**{f"tags__{ASG_TAG}__in": nodegroup.autoscaling_groups}) if nodegroup.autoscaling_groups else Q(pk=None)
    by_name = Q(tags__contains={CLUSTER_TAG: nodegroup.cluster_name, NODEGROUP_TAG: nodegroup.nodegroup_name})
    return by_asg | by_name


def nodegroup_detail(*, account_id: str, region: str, cluster: str, nodegroup: str) -> NodegroupDetail:
    """One nodegroup with its cluster and its nodes (3 queries). Raises Nodegroup.DoesNotExist when none was ever
    synced; of several with that name (deleted and re-created), the live one, else the newest."""
    row = (
        Nodegroup.objects.select_related("account")
        .filter(account__account_id=account_id, region=region, cluster_name=cluster, nodegroup_name=nodegroup)
        .order_by(F("gone_at").desc(nulls_first=True), "-created_at")
        .first()
    )
    if row is None:
        raise Nodegroup.DoesNotExist(f"No nodegroup {cluster}/{nodegroup}")
    parent = EksCluster.objects.filter(account=row.account, region=region, cluster_arn=row.cluster_arn).first()
    nodes = Instance.objects.filter(_nodes_of(row), account=row.account, region=region).only(
        "account", "region", "instance_id", "name", "state", "instance_type_id", "availability_zone", "lifecycle",
        "launch_time", "gone_at", "tags",
    )  # fmt: skip
    return NodegroupDetail(
        nodegroup=row,
        cluster=parent,
        instances=sorted(nodes, key=lambda i: (i.gone_at is not None, i.state != "running", i.instance_id)),
        console_url=console_url(region=region, cluster=cluster, nodegroup=nodegroup),
    )


def instance_owners(*, account: Any, region: str, ids: Sequence[str]) -> dict[str, list[Owner]]:
    """{instance id: the nodegroup it is a node of} for an EC2 instance's page (two queries: the instances' tags,
    then the live nodegroups of the clusters they name)."""
    tags = dict(
        Instance.objects.filter(account=account, region=region, instance_id__in=list(ids))
        .filter(Q(tags__has_key=NODEGROUP_TAG) | Q(tags__has_key=ASG_TAG))
        .values_list("instance_id", "tags")
    )
    if not tags:
        return {}
    nodegroups = list(
        Nodegroup.objects.filter(account=account, region=region, gone_at__isnull=True).select_related("account")
    )
    by_asg = {asg: ng for ng in nodegroups for asg in ng.autoscaling_groups}
    by_name = {(ng.cluster_name, ng.nodegroup_name): ng for ng in nodegroups}
    found: dict[str, list[Owner]] = {}
    for instance_id, instance_tags in tags.items():
        ng = by_asg.get(instance_tags.get(ASG_TAG, "")) or by_name.get(
            (instance_tags.get(CLUSTER_TAG, ""), instance_tags.get(NODEGROUP_TAG, ""))
        )
        if ng is not None:
            label = f"cluster {ng.cluster_name}, nodegroup {ng.nodegroup_name}"
            found[instance_id] = [Owner("EKS node", label, nodegroup_url(ng))]
    return found


@dataclass
class EksOverview:
    """The home page's EKS panel: desired nodes by capacity type, nodegroups, and the findings."""

    spot_nodes: int
    on_demand_nodes: int
    other_nodes: int
    nodegroups: int
    clusters: int
    with_issues: int
    failed: int

    @property
    def total_nodes(self) -> int:
        return self.spot_nodes + self.on_demand_nodes + self.other_nodes

    @property
    def spot_percent(self) -> int:
        return round(100 * self.spot_nodes / self.total_nodes) if self.total_nodes else 0


def eks_overview() -> EksOverview:
    """Live nodegroups of enabled accounts: desired nodes per capacity type and the findings (2 queries: the
    nodegroups per capacity type, with their findings counted in the same pass, and the clusters)."""
    live = Nodegroup.objects.filter(gone_at__isnull=True, account__enabled=True)
    per_type = live.values("capacity_type").annotate(
        n=Sum("desired_size"),
        groups=Count("pk"),
        with_issues=Count("pk", filter=~Q(health_issues=[])),
        failed=Count("pk", filter=Q(status__in=NODEGROUP_BAD_STATUSES)),
    )
    rows = list(per_type.order_by())
    by_type = {row["capacity_type"]: row["n"] for row in rows}
    spot = by_type.pop(Nodegroup.CapacityType.SPOT, 0) or 0
    on_demand = by_type.pop(Nodegroup.CapacityType.ON_DEMAND, 0) or 0
    return EksOverview(
        spot_nodes=spot,
        on_demand_nodes=on_demand,
        other_nodes=sum(n or 0 for n in by_type.values()),
        nodegroups=sum(row["groups"] for row in rows),
        clusters=EksCluster.objects.filter(gone_at__isnull=True, account__enabled=True).count(),
        with_issues=sum(row["with_issues"] for row in rows),
        failed=sum(row["failed"] for row in rows),
    )


def instances_owned() -> Q:
    """The EC2 instances that are nodes of a managed nodegroup: tagged by EKS, or in a live nodegroup's Auto Scaling
    group (the same two ways `instance_owners` matches them)."""
    groups = Nodegroup.objects.filter(gone_at__isnull=True).values_list("autoscaling_groups", flat=True)
    names = sorted({name for names in groups for name in names})
    return Q(tags__has_key=NODEGROUP_TAG) | Q(**{f"tags__{ASG_TAG}__in": names})
