"""django-tables2 tables for the EC2 lists.

Cells are rendered by `render_*` methods with format_html rather than TemplateColumns: a template per
cell costs more than the query on a 100-row page. Every column reads only the row and the rows
joined by the selector, so a page never issues a query per row.
"""

from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from fleetui.core.humanize import time_html
from fleetui.core.tables import (
    AccountRegionMixin,
    BadgeColumn,
    BaseTable,
    CodeColumn,
    CopyColumn,
    SelectColumn,
    TimeColumn,
    UrlColumn,
    badge,
)
from fleetui.core.templatetags.fleetui import mib_to_gib, spaced

from .costs import hourly_charge
from .coverage import units_of
from .models import ElasticIP, Image, Instance, InstanceType, KeyPair, PlacementGroup, ReservedInstance, SecurityGroup
from .reservations import days_left
from .selectors import old_image_cutoff


def cost_html(usd_per_hour: Decimal | None, source: str) -> SafeString:
    """A cost cell: "$0.0960" with its source on hover, or a muted "unknown" (never $0 for a missing price)."""
    if usd_per_hour is None:
        return format_html('<span class="muted" title="{}">unknown</span>', source or "no price synced")
    return format_html('<span title="{}">${}</span>', source, f"{usd_per_hour:,.4f}")


def instances_url(**params: str) -> str:
    return reverse("ec2:instance_list") + "?" + urlencode(params)


class InstanceTable(AccountRegionMixin, BaseTable):
    instance_id = tables.Column(verbose_name="Instance")
    name = tables.Column()
    state = BadgeColumn()
    instance_type = tables.Column(accessor="instance_type_id", verbose_name="Type", order_by="instance_type_id")
    family = tables.Column(verbose_name="Family / category", order_by=("family", "category"))
    # Not sortable: ordering 100k rows through the catalog join costs ~150 ms; sort by type instead.
    vcpus = tables.Column(
        accessor="instance_type__vcpus", verbose_name="vCPU", orderable=False, attrs={"td": {"class": "num"}}
    )
    memory = tables.Column(
        accessor="instance_type__memory_mib", verbose_name="Memory", orderable=False, attrs={"td": {"class": "num"}}
    )
    lifecycle = BadgeColumn(verbose_name="Purchase", kind=lambda value, _: "spot" if value == "spot" else "plain")
    tenancy = tables.Column()
    placement_group = tables.Column(verbose_name="Placement group")
    key_name = tables.Column(verbose_name="Key")
    availability_zone = tables.Column(verbose_name="AZ")
    private_ip = tables.Column(verbose_name="Private IP")
    public_ip = tables.Column(verbose_name="Public IP")
    launch_time = TimeColumn(verbose_name="Launched")
    # USD per hour now; "unknown" (never $0) when a price is missing; sorted with the unknown last either way.
    cost = tables.Column(
        accessor="cost_per_hour", verbose_name="$/hour", empty_values=(), attrs={"td": {"class": "num"}}
    )
    # A checkbox for the bulk action bar (hidden for viewers); it belongs to the bar's form by its id.
    select = SelectColumn(accessor="instance_id")

    default_columns = (
        "instance_id",
        "name",
        "state",
        "instance_type",
        "vcpus",
        "memory",
        "lifecycle",
        "cost",
        "availability_zone",
        "private_ip",
        "launch_time",
    )
    key_columns = ("instance_id", "name", "state")
    wrap_columns = ("name",)

    class Meta(BaseTable.Meta):
        model = Instance
        fields: tuple[str, ...] = ()
        sequence = (
            "select", "instance_id", "name", "state", "instance_type", "family", "vcpus", "memory", "lifecycle",
            "cost", "tenancy", "placement_group", "key_name", "availability_zone", "private_ip", "public_ip",
            "launch_time", "account", "region",
        )  # fmt: skip

    def render_instance_id(self, record: Instance) -> SafeString:
        url = reverse("ec2:instance_detail", args=[record.account.account_id, record.region, record.instance_id])
        return format_html(
            '<a href="{}">{}</a>'
            '<button type="button" class="copy" data-copy="{}" title="Copy id" aria-label="Copy id"></button>',
            url,
            record.instance_id,
            record.instance_id,
        )

    def render_family(self, record: Instance) -> SafeString:
        return format_html('{} <span class="muted">{}</span>', record.family, spaced(record.category))

    def render_memory(self, value: int) -> str:
        return mib_to_gib(value)

    def render_cost(self, record: Instance) -> SafeString:
        return cost_html(record.cost_per_hour, record.get_cost_source_display())

    def order_cost(self, queryset: QuerySet, is_descending: bool) -> tuple[QuerySet, bool]:
        cost = F("cost_per_hour")
        return queryset.order_by(cost.desc(nulls_last=True) if is_descending else cost.asc(nulls_last=True)), True

    def render_lifecycle(self, record: Instance, value: str) -> SafeString:
        if value == "on-demand" and getattr(record, "reserved", False):
            return badge("on-demand (reserved)", "ok")
        return badge(value, "spot" if value == "spot" else "plain")


class PlacementGroupTable(AccountRegionMixin, BaseTable):
    group_name = tables.Column(verbose_name="Name")
    group_id = tables.Column(verbose_name="Id")
    strategy = tables.Column()
    partition_count = tables.Column(verbose_name="Partitions")
    state = BadgeColumn()
    member_count = UrlColumn(
        verbose_name="Instances",
        attrs={"td": {"class": "num"}},
        url=lambda r: instances_url(account=r.account.account_id, region=r.region, placement_group=r.group_name),
    )
    select = SelectColumn(accessor="group_name")

    default_columns = ("group_name", "strategy", "partition_count", "state", "member_count")
    key_columns = ("group_name", "strategy", "member_count")
    wrap_columns = ("group_name",)

    class Meta(BaseTable.Meta):
        model = PlacementGroup
        fields: tuple[str, ...] = ()
        sequence = (
            "select",
            "group_name",
            "group_id",
            "strategy",
            "partition_count",
            "state",
            "member_count",
            "account",
            "region",
        )


class KeyPairTable(AccountRegionMixin, BaseTable):
    key_name = tables.Column(verbose_name="Name")
    key_pair_id = tables.Column(verbose_name="Id")
    key_type = tables.Column(verbose_name="Type")
    fingerprint = CodeColumn()
    create_time = TimeColumn(verbose_name="Created")
    instance_count = UrlColumn(
        verbose_name="Instances using it",
        attrs={"td": {"class": "num"}},
        url=lambda r: instances_url(account=r.account.account_id, region=r.region, key_name=r.key_name),
    )
    select = SelectColumn(accessor="key_name")

    default_columns = ("key_name", "key_type", "create_time", "instance_count")
    key_columns = ("key_name", "instance_count")
    wrap_columns = ("key_name",)

    class Meta(BaseTable.Meta):
        model = KeyPair
        fields: tuple[str, ...] = ()
        sequence = (
            "select",
            "key_name",
            "key_pair_id",
            "key_type",
            "fingerprint",
            "create_time",
            "instance_count",
            "account",
            "region",
        )


class ElasticIPTable(AccountRegionMixin, BaseTable):
    public_ip = CopyColumn(verbose_name="Public IP")
    allocation_id = tables.Column(verbose_name="Allocation")
    association = tables.Column(
        accessor="association_id", verbose_name="Attached to", order_by="instance_id", empty_values=()
    )
    private_ip = tables.Column(verbose_name="Private IP")
    domain = tables.Column()
    select = SelectColumn(accessor="allocation_id")

    default_columns = ("public_ip", "association", "private_ip", "domain")
    key_columns = ("public_ip", "association")

    class Meta(BaseTable.Meta):
        model = ElasticIP
        fields: tuple[str, ...] = ()
        sequence = ("select", "public_ip", "allocation_id", "association", "private_ip", "domain", "account", "region")
        row_attrs = {"class": lambda record: "" if record.is_attached else "finding"}

    def render_association(self, record: ElasticIP) -> SafeString:
        if not record.is_attached:
            return badge("unattached", "bad")
        if record.instance_id:
            url = reverse("ec2:instance_detail", args=[record.account.account_id, record.region, record.instance_id])
            return format_html('<a href="{}">{}</a>', url, record.instance_id)
        return format_html("{}", record.network_interface_id or record.association_id)


class ImageTable(AccountRegionMixin, BaseTable):
    image_id = CopyColumn(verbose_name="AMI")
    name = tables.Column()
    state = BadgeColumn()
    architecture = tables.Column(verbose_name="Arch")
    platform = tables.Column()
    public = tables.BooleanColumn()
    creation_date = tables.Column(verbose_name="Created")
    select = SelectColumn(accessor="image_id")

    default_columns = ("image_id", "name", "state", "architecture", "platform", "public", "creation_date")
    key_columns = ("image_id", "name", "state")
    wrap_columns = ("name",)

    class Meta(BaseTable.Meta):
        model = Image
        fields: tuple[str, ...] = ()
        sequence = (
            "select",
            "image_id",
            "name",
            "state",
            "architecture",
            "platform",
            "public",
            "creation_date",
            "account",
            "region",
        )
        row_attrs = {"class": lambda record, table: "finding" if _is_old(record, table) else ""}

    def render_creation_date(self, record: Image, value: Any) -> SafeString:
        if _is_old(record, self):
            return format_html('{} <span class="badge warn">old</span>', time_html(value))
        return time_html(value)


def _is_old(record: Image, table: Any) -> bool:
    # One cutoff per table render, not per row.
    cutoff = table.__dict__.setdefault("_old_cutoff", old_image_cutoff())
    return bool(record.creation_date and record.creation_date < cutoff)


class SecurityGroupTable(AccountRegionMixin, BaseTable):
    group_name = UrlColumn(verbose_name="Name", url=lambda r: security_group_url(r))
    group_id = CopyColumn(verbose_name="Id")
    severity = BadgeColumn(verbose_name="Finding", order_by=("severity_rank",), kind=lambda value, _: f"sev-{value}")
    ingress_rules = tables.Column(verbose_name="Ingress rules", orderable=False)
    vpc_id = tables.Column(verbose_name="VPC")

    key_columns = ("group_name", "severity", "region")  # "default" is in every VPC of every region
    wrap_columns = ("group_name",)

    class Meta(BaseTable.Meta):
        model = SecurityGroup
        fields: tuple[str, ...] = ()
        sequence = ("group_name", "group_id", "severity", "ingress_rules", "vpc_id", "account", "region")
        row_attrs = {"class": lambda record: f"finding-{record.severity}" if record.severity else ""}

    def render_ingress_rules(self, value: list[dict]) -> SafeString:
        return format_html(
            '<ul class="rules">{}</ul>',
            SafeString("".join(rule_html(rule) for rule in value)) if value else SafeString("<li>none</li>"),
        )


def security_group_url(group: SecurityGroup) -> str:
    return reverse("ec2:security_group_detail", args=[group.account.account_id, group.region, group.group_id])


def rule_html(rule: dict) -> str:
    """One ingress rule, 'tcp 22 ← 0.0.0.0/0', marked with its finding's severity (fleetui.ec2.findings)."""
    low, high = rule.get("from_port"), rule.get("to_port")
    protocol = "all" if str(rule.get("protocol")) == "-1" else rule.get("protocol", "")
    ports = "" if low is None else (str(low) if low == high else f"{low}-{high}")
    severity = rule.get("severity", "")
    return format_html(
        '<li class="{}">{} {} ← {}{}</li>',
        f"sev-{severity}" if severity else "",
        protocol,
        ports,
        ", ".join(rule.get("sources") or []),
        format_html(' <span class="badge sev-{}">{}</span>', severity, severity) if severity else "",
    )


class InstanceTypeTable(BaseTable):
    name = UrlColumn(verbose_name="Type", url=lambda r: instances_url(instance_type=r.name))
    family = tables.Column()
    category = tables.Column()
    vcpus = tables.Column(verbose_name="vCPU", attrs={"td": {"class": "num"}})
    memory_mib = tables.Column(verbose_name="Memory", attrs={"td": {"class": "num"}})
    gpus = tables.Column(verbose_name="GPUs", attrs={"td": {"class": "num"}})
    instance_storage_gb = tables.Column(verbose_name="Local storage", attrs={"td": {"class": "num"}})
    network_performance = tables.Column(verbose_name="Network")
    architectures = tables.Column(orderable=False)
    current_generation = tables.BooleanColumn(verbose_name="Current gen")

    key_columns = ("name", "vcpus", "memory_mib")

    class Meta(BaseTable.Meta):
        model = InstanceType
        fields: tuple[str, ...] = ()

    def render_category(self, value: str) -> str:
        return spaced(value)

    def render_memory_mib(self, value: int) -> str:
        return mib_to_gib(value)

    def render_gpus(self, record: InstanceType, value: int) -> str:
        return f"{value} ({mib_to_gib(record.gpu_memory_mib)})" if value else "0"

    def render_instance_storage_gb(self, value: int) -> str:
        return f"{value} GB" if value else "EBS only"

    def render_architectures(self, value: list[str]) -> str:
        return ", ".join(value)


class ReservedInstanceTable(AccountRegionMixin, BaseTable):
    reserved_instances_id = CopyColumn(verbose_name="Reservation")
    instance_type = tables.Column(verbose_name="Type")
    instance_count = tables.Column(verbose_name="Count", attrs={"td": {"class": "num"}})
    scope = tables.Column(empty_values=(), order_by=("scope", "availability_zone"))
    offering = tables.Column(empty_values=(), order_by=("offering_class", "offering_type"), verbose_name="Offering")
    product_description = tables.Column(verbose_name="Platform")
    instance_tenancy = tables.Column(verbose_name="Tenancy")
    state = BadgeColumn(kind=lambda value, _: "ok" if value == "active" else "muted")
    start = TimeColumn()
    end = TimeColumn(verbose_name="Ends")
    prices = tables.Column(empty_values=(), orderable=False, verbose_name="Upfront / hourly")
    used_units = tables.Column(verbose_name="Used", attrs={"td": {"class": "num"}})

    default_columns = (
        "reserved_instances_id",
        "instance_type",
        "instance_count",
        "scope",
        "state",
        "end",
        "used_units",
    )
    key_columns = ("reserved_instances_id", "instance_type", "state")
    wrap_columns = ("reserved_instances_id",)

    class Meta(BaseTable.Meta):
        model = ReservedInstance
        fields: tuple[str, ...] = ()
        sequence = (
            "reserved_instances_id", "instance_type", "instance_count", "scope", "offering", "product_description",
            "instance_tenancy", "state", "start", "end", "prices", "used_units", "account", "region",
        )  # fmt: skip

    def render_scope(self, record: ReservedInstance) -> str:
        return f"AZ {record.availability_zone}" if record.availability_zone else "Region"

    def render_offering(self, record: ReservedInstance) -> str:
        years = round(record.duration_seconds / 31536000) if record.duration_seconds else 0
        return f"{record.offering_class}, {record.offering_type}, {years} yr"

    def render_end(self, record: ReservedInstance, value: Any) -> SafeString:
        left = days_left(record)
        if record.state == "active" and left is not None and left <= 60:
            return format_html('{} <span class="badge warn">{} days left</span>', time_html(value), left)
        return time_html(value)

    def render_prices(self, record: ReservedInstance) -> str:
        hourly = hourly_charge(recurring_charges=record.recurring_charges, usage_price=record.usage_price)
        return f"${record.fixed_price or 0:,.2f} / ${hourly:.4f}"

    def render_used_units(self, record: ReservedInstance, value: float) -> SafeString:
        bought = record.instance_count * units_of(record.instance_type)
        percent = round(100 * value / bought) if bought else 0
        css = "warn" if record.state == "active" and percent < 100 else "plain"
        return format_html(
            '<span class="badge {}">{}%</span> <span class="muted">{} of {} units</span>',
            css,
            percent,
            f"{value:g}",
            f"{bought:g}",
        )
