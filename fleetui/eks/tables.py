"""django-tables2 tables for the EKS lists: every cell reads only the row and its account (joined by the selector),
so a page never issues a query per row."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from fleetui.core.tables import (
    AccountRegionMixin,
    BadgeColumn,
    BaseTable,
    SelectColumn,
    TimeColumn,
    UrlColumn,
)

from .models import Addon, EksCluster, FargateProfile, Nodegroup
from .selectors import cluster_url, nodegroup_url

STATUS_CLASSES = {
    "ACTIVE": "ok",
    "CREATING": "info",
    "UPDATING": "info",
    "DELETING": "warn",
    "PENDING": "info",
    "DEGRADED": "bad",
    "FAILED": "bad",
    "CREATE_FAILED": "bad",
    "DELETE_FAILED": "bad",
    "UPDATE_FAILED": "bad",
}
CAPACITY_CLASSES = {"SPOT": "warn", "ON_DEMAND": "info", "CAPACITY_BLOCK": "muted"}


def status_kind(value: str, record: Any = None) -> str:
    return STATUS_CLASSES.get(value, "muted")


def capacity_kind(value: str, record: Any = None) -> str:
    return CAPACITY_CLASSES.get(value, "muted")


def list_url(name: str, record: Any, **params: str) -> str:
    query = {"account": record.account.account_id, "region": record.region, "cluster": record.cluster_name, **params}
    return reverse(f"eks:{name}") + "?" + urlencode(query)


def issues_html(issues: list[dict[str, Any]]) -> SafeString:
    """Health issues as badges of their codes, the messages on hover; a dash when there are none."""
    if not issues:
        return format_html('<span class="muted">{}</span>', "—")
    return format_html_join(
        " ", '<span class="badge bad" title="{}">{}</span>', ((i["message"], i["code"]) for i in issues)
    )


class ClusterTable(AccountRegionMixin, BaseTable):
    cluster_name = UrlColumn(verbose_name="Cluster", url=cluster_url)
    status = BadgeColumn(kind=status_kind)
    version = tables.Column(verbose_name="Kubernetes")
    platform_version = tables.Column(verbose_name="Platform")
    nodegroup_count = tables.Column(verbose_name="Nodegroups", attrs={"td": {"class": "num"}})
    fargate_profile_count = tables.Column(verbose_name="Fargate profiles", attrs={"td": {"class": "num"}})
    addon_count = tables.Column(verbose_name="Add-ons", attrs={"td": {"class": "num"}})
    created_at = TimeColumn(verbose_name="Created")

    key_columns = ("cluster_name", "status", "version")
    wrap_columns = ("cluster_name",)

    class Meta(BaseTable.Meta):
        model = EksCluster
        fields: tuple[str, ...] = ()
        sequence = (
            "cluster_name", "status", "version", "platform_version", "nodegroup_count", "fargate_profile_count",
            "addon_count", "created_at", "account", "region",
        )  # fmt: skip

    def render_nodegroup_count(self, record: Any, value: int) -> SafeString:
        return format_html('<a href="{}">{}</a>', list_url("nodegroup_list", record), value)

    def render_fargate_profile_count(self, record: Any, value: int) -> SafeString:
        return format_html('<a href="{}">{}</a>', list_url("fargate_profile_list", record), value)

    def render_addon_count(self, record: Any, value: int) -> SafeString:
        return format_html('<a href="{}">{}</a>', list_url("addon_list", record), value)


class NodegroupTable(AccountRegionMixin, BaseTable):
    select = SelectColumn(accessor="nodegroup_arn")
    nodegroup_name = UrlColumn(verbose_name="Nodegroup", url=nodegroup_url)
    cluster_name = UrlColumn(verbose_name="Cluster", url=cluster_url)
    status = BadgeColumn(kind=status_kind)
    capacity_type = BadgeColumn(verbose_name="Capacity", kind=capacity_kind)
    instance_types = tables.Column(verbose_name="Instance types", orderable=False)
    desired_size = tables.Column(verbose_name="Nodes (min/desired/max)", attrs={"td": {"class": "num"}})
    health_issues = tables.Column(verbose_name="Health issues", orderable=False)
    release_version = tables.Column(verbose_name="AMI release")

    default_columns = (
        "nodegroup_name",
        "cluster_name",
        "status",
        "capacity_type",
        "instance_types",
        "desired_size",
        "health_issues",
    )
    key_columns = ("nodegroup_name", "status")
    wrap_columns = ("nodegroup_name", "cluster_name", "health_issues")

    class Meta(BaseTable.Meta):
        model = Nodegroup
        fields: tuple[str, ...] = ()
        sequence = (
            "select", "nodegroup_name", "cluster_name", "status", "capacity_type", "instance_types", "desired_size",
            "health_issues", "release_version", "account", "region",
        )  # fmt: skip

    def render_instance_types(self, value: list[str]) -> str:
        return ", ".join(value)

    def render_desired_size(self, record: Nodegroup) -> SafeString:
        return format_html(
            '<span class="muted">{}</span> / <strong>{}</strong> / <span class="muted">{}</span>',
            record.min_size, record.desired_size, record.max_size,
        )  # fmt: skip

    def render_health_issues(self, value: list[dict[str, Any]]) -> SafeString:
        return issues_html(value)


class FargateProfileTable(AccountRegionMixin, BaseTable):
    fargate_profile_name = tables.Column(verbose_name="Fargate profile")
    cluster_name = UrlColumn(verbose_name="Cluster", url=cluster_url)
    status = BadgeColumn(kind=status_kind)
    selectors = tables.Column(verbose_name="Selectors (namespace, labels)", orderable=False)
    created_at = TimeColumn(verbose_name="Created")

    key_columns = ("fargate_profile_name", "status", "cluster_name")
    wrap_columns = ("fargate_profile_name", "cluster_name", "selectors")

    class Meta(BaseTable.Meta):
        model = FargateProfile
        fields: tuple[str, ...] = ()
        sequence = ("fargate_profile_name", "cluster_name", "status", "selectors", "created_at", "account", "region")

    def render_selectors(self, value: list[dict[str, Any]]) -> SafeString:
        return selectors_html(value)


def selectors_html(selectors: list[dict[str, Any]]) -> SafeString:
    """Each selector as its namespace with its labels (`key=value`) after it."""
    return format_html_join(
        " ",
        '<span class="selector"><code>{}</code>{}</span>',
        (
            (s["namespace"], format_html_join("", ' <span class="muted">{}={}</span>', s.get("labels", {}).items()))
            for s in selectors
        ),
    )


class AddonTable(AccountRegionMixin, BaseTable):
    addon_name = tables.Column(verbose_name="Add-on")
    cluster_name = UrlColumn(verbose_name="Cluster", url=cluster_url)
    addon_version = tables.Column(verbose_name="Version")
    status = BadgeColumn(kind=status_kind)
    health_issues = tables.Column(verbose_name="Health issues", orderable=False)
    modified_at = TimeColumn(verbose_name="Modified")

    key_columns = ("addon_name", "status", "cluster_name")
    wrap_columns = ("addon_name", "cluster_name", "health_issues")

    class Meta(BaseTable.Meta):
        model = Addon
        fields: tuple[str, ...] = ()
        sequence = (
            "addon_name", "cluster_name", "addon_version", "status", "health_issues", "modified_at", "account",
            "region",
        )  # fmt: skip

    def render_health_issues(self, value: list[dict[str, Any]]) -> SafeString:
        return issues_html(value)
