"""django-tables2 tables for the EMR lists: every cell reads only the row and its account (joined by the selector),
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
    CopyColumn,
    SelectColumn,
    TimeColumn,
    UrlColumn,
)

from .models import EmrCluster, EmrInstance, InstanceGroup, Step
from .selectors import cluster_url

STATE_CLASSES = {
    # clusters
    "STARTING": "info", "BOOTSTRAPPING": "info", "RUNNING": "ok", "WAITING": "warn", "TERMINATING": "warn",
    "TERMINATED": "muted", "TERMINATED_WITH_ERRORS": "bad",
    # groups, fleets and instances
    "PROVISIONING": "info", "AWAITING_FULFILLMENT": "info", "RESIZING": "info", "SUSPENDED": "bad",
    "ARRESTED": "bad", "SHUTTING_DOWN": "warn", "ENDED": "muted",
    # steps
    "PENDING": "info", "CANCEL_PENDING": "warn", "COMPLETED": "ok", "CANCELLED": "muted", "FAILED": "bad",
    "INTERRUPTED": "bad",
}  # fmt: skip
MARKET_CLASSES = {"SPOT": "warn", "ON_DEMAND": "info"}


def state_kind(value: str, record: Any = None) -> str:
    return STATE_CLASSES.get(value, "muted")


def market_kind(value: str, record: Any = None) -> str:
    return MARKET_CLASSES.get(value, "muted")


def list_url(name: str, record: Any, **params: str) -> str:
    query = {"account": record.account.account_id, "region": record.region, "cluster_id": record.cluster_id, **params}
    return reverse(f"emr:{name}") + "?" + urlencode(query)


def applications_html(applications: list[dict[str, str]]) -> SafeString:
    """Each application as its name with its version after it, muted."""
    if not applications:
        return format_html('<span class="muted">{}</span>', "—")
    return format_html_join(", ", '{} <span class="muted">{}</span>', ((a["name"], a["version"]) for a in applications))


def counts_html(group: InstanceGroup) -> SafeString:
    """Running / requested; the running count stands out while it differs (a resize in progress)."""
    kind = "" if group.running_count == group.requested_count else "warn"
    return format_html(
        '<span class="{}"><strong>{}</strong></span> / {}', kind, group.running_count, group.requested_count
    )


def bid_html(group: Any) -> SafeString:
    if group.market != "SPOT":
        return format_html('<span class="muted">{}</span>', "—")
    if not group.bid_price:
        return format_html(
            '<span class="muted" title="{}">{}</span>', "No bid: capped at the on-demand price", "OD cap"
        )
    return format_html("${}/h", group.bid_price)


def auto_termination_html(cluster: EmrCluster) -> SafeString:
    """After the last step, after an idle timeout, or none (a finding while it runs)."""
    if cluster.auto_terminate:
        return format_html("{}", "after last step")
    if cluster.idle_timeout is not None:
        return format_html("idle {} min", cluster.idle_timeout // 60)
    kind = "bad" if cluster.is_active else "muted"
    return format_html('<span class="badge {}">{}</span>', kind, "none")


class ClusterTable(AccountRegionMixin, BaseTable):
    select = SelectColumn(accessor="cluster_id")
    name = UrlColumn(verbose_name="Cluster", url=cluster_url)
    state = BadgeColumn(kind=state_kind)
    release_label = tables.Column(verbose_name="Release")
    applications = tables.Column(verbose_name="Applications", orderable=False)
    group_count = tables.Column(verbose_name="Groups", attrs={"td": {"class": "num"}})
    instance_count = tables.Column(verbose_name="Instances", attrs={"td": {"class": "num"}})
    auto_terminate = tables.Column(verbose_name="Auto-termination", empty_values=(), orderable=False)
    last_activity = TimeColumn(verbose_name="Last activity")
    created_at = TimeColumn(verbose_name="Created")

    key_columns = ("name", "state", "instance_count")
    wrap_columns = ("name",)

    class Meta(BaseTable.Meta):
        model = EmrCluster
        fields: tuple[str, ...] = ()
        sequence = (
            "select", "name", "state", "release_label", "applications", "group_count", "instance_count",
            "auto_terminate", "last_activity", "created_at", "account", "region",
        )  # fmt: skip

    def render_applications(self, value: list[dict[str, str]]) -> SafeString:
        return applications_html(value)

    def render_group_count(self, record: EmrCluster, value: int) -> SafeString:
        return format_html('<a href="{}">{}</a>', list_url("instance_group_list", record), value)

    def render_instance_count(self, record: EmrCluster, value: int) -> SafeString:
        return format_html('<a href="{}">{}</a>', list_url("instance_list", record), value)

    def render_auto_terminate(self, record: EmrCluster) -> SafeString:
        return auto_termination_html(record)


class InstanceGroupTable(AccountRegionMixin, BaseTable):
    select = SelectColumn(accessor="instance_group_id")
    name = tables.Column(verbose_name="Group", empty_values=())
    cluster_name = UrlColumn(verbose_name="Cluster", url=cluster_url)
    group_type = BadgeColumn(verbose_name="Type", kind=lambda value, record: "muted")
    market = BadgeColumn(kind=market_kind)
    bid_price = tables.Column(verbose_name="Bid", empty_values=(), orderable=False)
    instance_types = tables.Column(verbose_name="Instance types", orderable=False)
    running_count = tables.Column(verbose_name="Running / requested", attrs={"td": {"class": "num"}})
    state = BadgeColumn(kind=state_kind)

    default_columns = ("name", "cluster_name", "group_type", "market", "instance_types", "running_count", "state")
    key_columns = ("name", "state", "running_count")
    wrap_columns = ("name", "cluster_name")

    class Meta(BaseTable.Meta):
        model = InstanceGroup
        fields: tuple[str, ...] = ()
        sequence = (
            "select", "name", "cluster_name", "group_type", "market", "bid_price", "instance_types",
            "running_count", "state", "account", "region",
        )  # fmt: skip

    def render_name(self, record: InstanceGroup) -> SafeString:
        fleet = " (fleet)" if record.collection == InstanceGroup.Collection.FLEET else ""
        return format_html('{}<span class="muted">{}</span>', record.name or record.instance_group_id, fleet)

    def render_bid_price(self, record: InstanceGroup) -> SafeString:
        return bid_html(record)

    def render_instance_types(self, value: list[str]) -> str:
        return ", ".join(value)

    def render_running_count(self, record: InstanceGroup) -> SafeString:
        return counts_html(record)


class StepTable(AccountRegionMixin, BaseTable):
    name = tables.Column(verbose_name="Step")
    cluster_name = UrlColumn(verbose_name="Cluster", url=cluster_url)
    state = BadgeColumn(kind=state_kind)
    action_on_failure = tables.Column(verbose_name="On failure")
    started_at = TimeColumn(verbose_name="Started")
    ended_at = TimeColumn(verbose_name="Ended")
    step_id = CopyColumn(verbose_name="Step id")

    default_columns = ("name", "cluster_name", "state", "action_on_failure", "started_at", "ended_at")
    key_columns = ("name", "state", "cluster_name")
    wrap_columns = ("name", "cluster_name")

    class Meta(BaseTable.Meta):
        model = Step
        fields: tuple[str, ...] = ()
        sequence = (
            "name", "cluster_name", "state", "action_on_failure", "started_at", "ended_at", "step_id", "account",
            "region",
        )  # fmt: skip


def ec2_url(record: EmrInstance) -> str:
    return reverse("ec2:instance_detail", args=[record.account.account_id, record.region, record.ec2_instance_id])


class InstanceTable(AccountRegionMixin, BaseTable):
    ec2_instance_id = UrlColumn(verbose_name="EC2 instance", url=ec2_url)
    cluster_name = UrlColumn(verbose_name="Cluster", url=cluster_url)
    instance_group_id = tables.Column(verbose_name="Group id")
    market = BadgeColumn(kind=market_kind)
    instance_type = tables.Column(verbose_name="Type")
    state = BadgeColumn(kind=state_kind)
    private_ip = tables.Column(verbose_name="Private IP")
    ready_at = TimeColumn(verbose_name="Ready")
    instance_id = CopyColumn(verbose_name="EMR id")

    default_columns = ("ec2_instance_id", "cluster_name", "market", "instance_type", "state", "private_ip", "ready_at")
    key_columns = ("ec2_instance_id", "state", "cluster_name")
    wrap_columns = ("cluster_name",)

    class Meta(BaseTable.Meta):
        model = EmrInstance
        fields: tuple[str, ...] = ()
        sequence = (
            "ec2_instance_id", "cluster_name", "instance_group_id", "market", "instance_type", "state", "private_ip",
            "ready_at", "instance_id", "account", "region",
        )  # fmt: skip
