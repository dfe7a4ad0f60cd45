"""FilterSets: the page, the CSV export and the API filter through the same classes.

An invalid value makes the FilterSet's form invalid; pages show the form's errors and the API
answers 400 (django-filter's DRF backend does that), never a 500.
"""

from typing import Any

import django_filters as df
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q, QuerySet, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

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


class CSVChoiceFilter(df.CharFilter):
    """Matches any of a comma-separated list: `?state=running,stopped`."""

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        values = [v.strip() for v in (value or "").split(",") if v.strip()]
        if not values:
            return qs
        return qs.filter(**{f"{self.field_name}__in": values})


class StrictBooleanWidget(df.widgets.BooleanWidget):
    """Like django-filter's widget, but an unrecognised value reaches the field instead of meaning "any"."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        raw = data.get(name)
        value = super().value_from_datadict(data, files, name)
        return raw if value is None and raw not in (None, "") else value


class StrictBooleanField(forms.NullBooleanField):
    widget = StrictBooleanWidget

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        raise forms.ValidationError(f"Use true or false, not {value!r}.")

    def validate(self, value: Any) -> None:
        """Any of True, False or None is valid; to_python already refused the rest."""


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(df.BooleanFilter):
    """`?flag=true|false|1|0`; anything else is a form error (a 400 in the API), not a silently ignored filter."""

    field_class = StrictBooleanField


class TagField(forms.CharField):
    def clean(self, value: Any) -> tuple[str, str] | None:
        value = super().clean(value)
        if not value:
            return None
        key, sep, tag_value = value.partition("=")
        if not sep or not key.strip():
            raise forms.ValidationError("Write a tag filter as Key=Value, for example Env=prod.")
        return key.strip(), tag_value.strip()


# It filters inside the JSON tags column, so the schema generator cannot infer a type: say it is a string.
@extend_schema_field(OpenApiTypes.STR)
class TagFilter(df.Filter):
    """`?tag=Env=prod`: the tag Key has exactly Value. Works on PostgreSQL and SQLite alike."""

    field_class = TagField

    def filter(self, qs: QuerySet, value: tuple[str, str] | None) -> QuerySet:
        if not value:
            return qs
        key, tag_value = value
        # The Cast makes it a plain text comparison: without it Django's KeyTransformExact wraps the value in
        # JSON_EXTRACT on SQLite, which fails with "malformed JSON" for any value that is not itself JSON.
        return qs.alias(_tag=Cast(KeyTextTransform(key, "tags"), output_field=TextField())).filter(_tag=tag_value)


class ResourceFilterSet(df.FilterSet):
    """Filters every synced resource has. Rows a sync no longer saw are hidden unless `?gone=true`."""

    account = CSVChoiceFilter(field_name="account__account_id", label="Account id")
    region = CSVChoiceFilter(field_name="region")
    tag = TagFilter(label="Tag (Key=Value)")
    gone = StrictBooleanFilter(method="filter_gone", label="Gone")

    def filter_gone(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        return qs.filter(gone_at__isnull=not value)

    @property
    def qs(self) -> QuerySet:
        qs = super().qs
        if self.form.cleaned_data.get("gone") is None:
            qs = qs.filter(gone_at__isnull=True)
        return qs


class InstanceFilterSet(ResourceFilterSet):
    LIFECYCLE_CHOICES = [("on-demand", "On-demand"), ("spot", "Spot"), ("scheduled", "Scheduled")]

    az = CSVChoiceFilter(field_name="availability_zone", label="AZ")
    state = CSVChoiceFilter(field_name="state")
    instance_type = CSVChoiceFilter(field_name="instance_type_id", label="Instance type")
    family = CSVChoiceFilter(field_name="family")
    category = CSVChoiceFilter(field_name="category")
    lifecycle = df.ChoiceFilter(field_name="lifecycle", choices=LIFECYCLE_CHOICES, label="Purchase option")
    tenancy = df.ChoiceFilter(
        field_name="tenancy", choices=[("default", "Shared"), ("dedicated", "Dedicated instance"), ("host", "Host")]
    )
    placement_group = df.CharFilter(field_name="placement_group")
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

    class Meta:
        model = Instance
        fields: list[str] = []

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


class PlacementGroupFilterSet(ResourceFilterSet):
    strategy = CSVChoiceFilter(field_name="strategy")
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
    state = CSVChoiceFilter(field_name="state")
    created_before = df.IsoDateTimeFilter(field_name="creation_date", lookup_expr="lt")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Image
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(image_id__icontains=value) | Q(name__icontains=value))


class SecurityGroupFilterSet(ResourceFilterSet):
    world_open = StrictBooleanFilter(field_name="world_open_admin", label="Open to the world on 22/3389")
    vpc_id = df.CharFilter(field_name="vpc_id")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = SecurityGroup
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return qs.filter(Q(group_id__icontains=value) | Q(group_name__icontains=value))


class InstanceTypeFilterSet(df.FilterSet):
    family = CSVChoiceFilter(field_name="family")
    category = CSVChoiceFilter(field_name="category")
    min_vcpus = df.NumberFilter(field_name="vcpus", lookup_expr="gte")
    min_memory_mib = df.NumberFilter(field_name="memory_mib", lookup_expr="gte")
    gpu = StrictBooleanFilter(field_name="gpus", method="filter_gpu", label="Has GPUs")
    q = df.CharFilter(field_name="name", lookup_expr="icontains", label="Search")

    class Meta:
        model = InstanceType
        fields: list[str] = []

    def filter_gpu(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(gpus__gt=0) if value else qs.filter(gpus=0)


class SyncRunFilterSet(df.FilterSet):
    """Sync runs by scope and outcome: `?status=failed&region=eu-west-1`."""

    account = CSVChoiceFilter(field_name="account__account_id", label="Account id")
    region = CSVChoiceFilter(field_name="region")
    resource_type = CSVChoiceFilter(field_name="resource_type", label="Resource type")
    status = df.ChoiceFilter(field_name="status", choices=SyncRun.Status.choices)

    class Meta:
        model = SyncRun
        fields: list[str] = []


# The API's lists of network interfaces, volumes and accounts (their rows show on other pages).
class NetworkInterfaceFilterSet(ResourceFilterSet):
    status = CSVChoiceFilter(field_name="status")
    instance_id = df.CharFilter(field_name="instance_id")
    vpc_id = df.CharFilter(field_name="vpc_id")
    subnet_id = df.CharFilter(field_name="subnet_id")

    class Meta:
        model = NetworkInterface
        fields: list[str] = []


class VolumeFilterSet(ResourceFilterSet):
    state = CSVChoiceFilter(field_name="state")
    volume_type = CSVChoiceFilter(field_name="volume_type")
    instance_id = df.CharFilter(field_name="instance_id")
    encrypted = StrictBooleanFilter(field_name="encrypted")

    class Meta:
        model = Volume
        fields: list[str] = []


class AccountFilterSet(df.FilterSet):
    enabled = StrictBooleanFilter(field_name="enabled")

    class Meta:
        model = Account
        fields: list[str] = []
