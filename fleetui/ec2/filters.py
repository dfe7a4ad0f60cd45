"""EC2's FilterSets: the page, the CSV export and the API filter through the same classes (see fleetui.core.filters)."""

import django_filters as df
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast

from fleetui.core.filters import FilterSet, InventoryChoiceFilter, ResourceFilterSet, StrictBooleanFilter, TimeFilter
from fleetui.core.menu import NOT_OWNED, owned_by, owner_services

from . import findings
from .catalog import CATEGORY_LABELS
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
    SecurityGroup,
    Volume,
)
from .reservations import active_reservations, expiring_cutoff, unused_reservations


def owner_choices() -> list[tuple[str, str]]:
    """`?owner=`: the services that say which instances they run (their OWNERS), or none of them."""
    return [(NOT_OWNED, "Plain EC2"), *((item.app, item.label) for item in owner_services("instances"))]


# The states DescribeInstances reports (InstanceState.Name).
INSTANCE_STATES = [(s, s) for s in ("pending", "running", "shutting-down", "terminated", "stopping", "stopped")]
CATEGORIES = list(CATEGORY_LABELS.items())


class InstanceFilterSet(ResourceFilterSet):
    LIFECYCLE_CHOICES = [("on-demand", "On-demand"), ("spot", "Spot"), ("scheduled", "Scheduled")]

    az = InventoryChoiceFilter(field_name="availability_zone", label="AZ")
    state = InventoryChoiceFilter(field_name="state", choices=INSTANCE_STATES, label="State")
    instance_type = InventoryChoiceFilter(field_name="instance_type_id", label="Instance type", search=True)
    family = InventoryChoiceFilter(field_name="family", label="Family")
    category = InventoryChoiceFilter(field_name="category", choices=CATEGORIES, label="Category")
    lifecycle = df.ChoiceFilter(field_name="lifecycle", choices=LIFECYCLE_CHOICES, label="Purchase option")
    tenancy = df.ChoiceFilter(
        field_name="tenancy", choices=[("default", "Shared"), ("dedicated", "Dedicated instance"), ("host", "Host")]
    )
    placement_group = df.CharFilter(field_name="placement_group", label="Placement group")
    key_name = df.CharFilter(method="filter_key_name", label="Key pair (- for none)")
    image_id = df.CharFilter(field_name="image_id", label="AMI")
    vpc_id = df.CharFilter(field_name="vpc_id", label="VPC")
    security_group = df.CharFilter(
        method="filter_security_group",
        label="Security group id",
        validators=[RegexValidator(r"^sg-[0-9a-f]{8,17}$", "A security group id looks like sg-0123456789abcdef0.")],
    )
    q = df.CharFilter(method="filter_q", label="Search")
    missing_tag = df.CharFilter(method="filter_missing_tag", label="Missing tag (key)")
    has_public_ip = StrictBooleanFilter(
        field_name="public_ip", lookup_expr="isnull", exclude=True, label="Has public IP"
    )
    # `?instance_store=true`: instances with instance-store volumes (erased when they stop or terminate).
    instance_store = StrictBooleanFilter(field_name="has_instance_store", label="Has instance store")
    # `?owner=ecs`: instances another service runs (container hosts, nodes, cluster members); `none`: plain EC2.
    owner = df.ChoiceFilter(method="filter_owner", choices=owner_choices, label="Run by")
    # `?coverage=covered`: a Reserved Instance pays for it (wholly or partly); `uncovered`: a running on-demand
    # instance no reservation pays for (what buying reservations would save on).
    coverage = df.ChoiceFilter(
        method="filter_coverage", choices=[("covered", "Covered by an RI"), ("uncovered", "Not covered")], label="RI"
    )
    # `?cost_min=0.1&cost_max=1`: USD per hour now, bounds included; an unknown cost matches neither.
    cost_min = df.NumberFilter(
        field_name="cost_per_hour", lookup_expr="gte", label="Cost from ($/hour)", min_value=0, max_digits=12
    )
    cost_max = df.NumberFilter(
        field_name="cost_per_hour", lookup_expr="lte", label="Cost up to ($/hour)", min_value=0, max_digits=12
    )

    class Meta:
        model = Instance
        fields: list[str] = []

    def filter_coverage(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        reserved = Exists(ReservationUse.objects.filter(instance=OuterRef("pk")))
        if value == "covered":
            return qs.filter(reserved)
        return qs.filter(~reserved, state="running", lifecycle="on-demand").exclude(tenancy="host")

    def filter_owner(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(owned_by(Instance, "instances", value))

    def filter_missing_tag(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        # `?missing_tag=Owner`: instances whose tags have no Owner key (an audit finding).
        return qs.exclude(tags__has_key=value.strip())

    def filter_key_name(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(key_name="" if value == "-" else value)

    def filter_security_group(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        # An exact id inside the JSON list, as text: PostgreSQL's jsonb and Django's JSON on SQLite both
        # print `"id": "sg-..."`, and the validated id plus its closing quote cannot match a longer one.
        groups = Cast("security_groups", output_field=TextField())
        return qs.alias(_groups=groups).filter(_groups__contains=f'"id": "{value}"')

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.lower().split():
            qs = qs.filter(search_text__contains=word)
        return qs


class ReservedInstanceFilterSet(ResourceFilterSet):
    state = InventoryChoiceFilter(field_name="state", label="State")
    instance_type = InventoryChoiceFilter(field_name="instance_type", label="Instance type", search=True)
    family = InventoryChoiceFilter(field_name="family", label="Family")
    scope = df.ChoiceFilter(field_name="scope", choices=[("Region", "Region"), ("Availability Zone", "Zonal")])
    offering_class = df.ChoiceFilter(
        field_name="offering_class", choices=[("standard", "Standard"), ("convertible", "Convertible")], label="Class"
    )
    # `?expiring=30`: active reservations whose term ends within 30 (or 60) days.
    expiring = df.ChoiceFilter(
        method="filter_expiring", choices=[("30", "Within 30 days"), ("60", "Within 60 days")], label="Expiring"
    )
    # `?unused=true`: active reservations with units no running instance uses.
    unused = StrictBooleanFilter(method="filter_unused", label="Unused units")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = ReservedInstance
        fields: list[str] = []

    def filter_expiring(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(pk__in=active_reservations().filter(end__lte=expiring_cutoff(int(value))).values("pk"))

    def filter_unused(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        pks = unused_reservations().values("pk")
        return qs.filter(pk__in=pks) if value else qs.exclude(pk__in=pks)

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(reserved_instances_id__icontains=value) | Q(instance_type__icontains=value))


class PlacementGroupFilterSet(ResourceFilterSet):
    strategy = InventoryChoiceFilter(field_name="strategy", label="Strategy")
    q = df.CharFilter(field_name="group_name", lookup_expr="icontains", label="Search")

    class Meta:
        model = PlacementGroup
        fields: list[str] = []


class KeyPairFilterSet(ResourceFilterSet):
    q = df.CharFilter(field_name="key_name", lookup_expr="icontains", label="Search")

    class Meta:
        model = KeyPair
        fields: list[str] = []


class ElasticIPFilterSet(ResourceFilterSet):
    attached = StrictBooleanFilter(field_name="association_id", method="filter_attached")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = ElasticIP
        fields: list[str] = []

    def filter_attached(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.exclude(association_id="") if value else qs.filter(association_id="")

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(public_ip__contains=value) | Q(allocation_id__icontains=value) | Q(instance_id=value))


class ImageFilterSet(ResourceFilterSet):
    state = InventoryChoiceFilter(field_name="state", label="State")
    created_before = TimeFilter(field_name="creation_date", lookup_expr="lt", label="Created before")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Image
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(image_id__icontains=value) | Q(name__icontains=value))


SEVERITY_FILTER_CHOICES = [(level, level.capitalize()) for level in findings.SEVERITIES]


class SecurityGroupFilterSet(ResourceFilterSet):
    # `?severity=critical` or `critical,warning`: groups whose most severe finding is one of these.
    severity = InventoryChoiceFilter(
        field_name="severity",
        choices=SEVERITY_FILTER_CHOICES,
        label="Finding",
    )
    vpc_id = df.CharFilter(field_name="vpc_id", label="VPC")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = SecurityGroup
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(group_id__icontains=value) | Q(group_name__icontains=value))


class InstanceTypeFilterSet(FilterSet):
    family = InventoryChoiceFilter(field_name="family", label="Family", search=True)
    category = InventoryChoiceFilter(field_name="category", choices=CATEGORIES, label="Category")
    min_vcpus = df.NumberFilter(field_name="vcpus", lookup_expr="gte", label="Min vCPU")
    min_memory_mib = df.NumberFilter(field_name="memory_mib", lookup_expr="gte", label="Min memory (MiB)")
    gpu = StrictBooleanFilter(field_name="gpus", method="filter_gpu", label="Has GPUs")
    q = df.CharFilter(field_name="name", lookup_expr="icontains", label="Search")

    class Meta:
        model = InstanceType
        fields: list[str] = []

    def filter_gpu(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(gpus__gt=0) if value else qs.filter(gpus=0)


# The API's lists of network interfaces, volumes and accounts (their rows show on other pages).
class NetworkInterfaceFilterSet(ResourceFilterSet):
    status = InventoryChoiceFilter(field_name="status", label="Status")
    instance_id = df.CharFilter(field_name="instance_id", label="Instance")
    vpc_id = df.CharFilter(field_name="vpc_id", label="VPC")
    subnet_id = df.CharFilter(field_name="subnet_id", label="Subnet")

    class Meta:
        model = NetworkInterface
        fields: list[str] = []


class VolumeFilterSet(ResourceFilterSet):
    state = InventoryChoiceFilter(field_name="state", label="State")
    volume_type = InventoryChoiceFilter(field_name="volume_type", label="Volume type")
    instance_id = df.CharFilter(field_name="instance_id", label="Instance")
    encrypted = StrictBooleanFilter(field_name="encrypted")

    class Meta:
        model = Volume
        fields: list[str] = []
