"""FilterSets of the EKS inventory: the pages, their CSV exports and the API filter through the same classes.

Like every service's (fleetui.core.filters): rows a sync no longer saw are hidden unless `?gone=true`, and an
invalid value is a form error (a 400 in the API), never a 500.
"""

import django_filters as df
from django.db.models import Q, QuerySet

from fleetui.core.filters import InventoryChoiceFilter, ResourceFilterSet, StrictBooleanFilter

from .models import NODEGROUP_BAD_STATUSES, Addon, EksCluster, FargateProfile, Nodegroup


def _issues() -> Q:
    return ~Q(health_issues=[])


class ClusterFilterSet(ResourceFilterSet):
    """`?version=1.31&status=ACTIVE&q=platform`."""

    cluster = InventoryChoiceFilter(field_name="cluster_name", label="Cluster")
    version = InventoryChoiceFilter(field_name="version", label="Kubernetes version")
    status = InventoryChoiceFilter(field_name="status", label="Status")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = EksCluster
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(cluster_name__icontains=value) | Q(endpoint__icontains=value))


class NodegroupFilterSet(ResourceFilterSet):
    """`?cluster=platform-prod&capacity_type=SPOT&status=ACTIVE,DEGRADED&has_health_issues=true&finding=true&q=`."""

    cluster = InventoryChoiceFilter(field_name="cluster_name", label="Cluster")
    capacity_type = df.MultipleChoiceFilter(
        field_name="capacity_type", choices=Nodegroup.CapacityType.choices, label="Capacity type"
    )
    status = InventoryChoiceFilter(field_name="status", label="Status")
    has_health_issues = StrictBooleanFilter(method="filter_issues", label="Has health issues")
    finding = StrictBooleanFilter(method="filter_finding", label="Finding (health issues or failed)")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Nodegroup
        fields: list[str] = []

    def filter_issues(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(_issues()) if value else qs.exclude(_issues())

    def filter_finding(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        finding = _issues() | Q(status__in=NODEGROUP_BAD_STATUSES)
        return qs.filter(finding) if value else qs.exclude(finding)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            qs = qs.filter(
                Q(nodegroup_name__icontains=word)
                | Q(cluster_name__icontains=word)
                | Q(instance_types__icontains=word)
                | Q(autoscaling_groups__icontains=word)
            )
        return qs


class FargateProfileFilterSet(ResourceFilterSet):
    """`?cluster=platform-prod&status=ACTIVE&namespace=jobs`."""

    cluster = InventoryChoiceFilter(field_name="cluster_name", label="Cluster")
    status = InventoryChoiceFilter(field_name="status", label="Status")
    namespace = df.CharFilter(method="filter_namespace", label="Selects namespace")
    q = df.CharFilter(field_name="fargate_profile_name", lookup_expr="icontains", label="Search")

    class Meta:
        model = FargateProfile
        fields: list[str] = []

    def filter_namespace(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(selectors__contains=[{"namespace": value}])


class AddonFilterSet(ResourceFilterSet):
    """`?cluster=platform-prod&addon=coredns&status=ACTIVE`."""

    cluster = InventoryChoiceFilter(field_name="cluster_name", label="Cluster")
    addon = InventoryChoiceFilter(field_name="addon_name", label="Add-on")
    status = InventoryChoiceFilter(field_name="status", label="Status")
    has_health_issues = StrictBooleanFilter(method="filter_issues", label="Has health issues")

    class Meta:
        model = Addon
        fields: list[str] = []

    def filter_issues(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(_issues()) if value else qs.exclude(_issues())
