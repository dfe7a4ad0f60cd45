"""The parameters of ec2.launch, validated as the page and the API receive them.

Choices that depend on the account and region (AMIs, placement groups, key pairs, security groups) come from the
inventory of that scope; before the page knows the scope, they span every enabled account and region, and
clean() checks the chosen one against the scope the request names. The AMI and the subnet are checked with
DescribeImages / DescribeSubnets, since the inventory holds only the account's own AMIs.

AWS rules checked here, from the EC2 API reference and user guide:
- SpotMarketOptions: `stop` interruption needs a persistent request, and RunInstances takes a persistent request
  only with `stop` or `hibernate`; a max price must be more than USD 0.001.
- Placement groups: a spread group holds at most 7 running instances per AZ; a spot instance that stops or
  hibernates on interruption cannot be launched into a placement group.
- Tags: at most 50 per resource, keys up to 128 characters, values up to 256, the `aws:` prefix is reserved.
- User data: at most 16 KB before base64 encoding.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cached_property
from typing import Any

from django import forms
from django.conf import settings

from fleetui.actions.registry import NoParams
from fleetui.aws import AwsError
from fleetui.aws.ec2_launch import image_describe, subnet_describe
from fleetui.ec2.models import Instance, InstanceType, PlacementGroup
from fleetui.inventory.sync import account_ref

from .launch_choices import (
    image_choices,
    in_scope,
    resource_choices,
    subnet_choices,
    subnets_of,
    type_choices,
    type_default,
    zone_choices,
)

MAX_COUNT = 100
SPREAD_PER_AZ = 7
MAX_TAGS, MAX_KEY, MAX_VALUE = 50, 128, 256
MAX_USER_DATA = 16 * 1024
MIN_SPOT_PRICE = Decimal("0.001")
AMI_ID = re.compile(r"ami-[0-9a-f]{8,17}")
HOST_ID = re.compile(r"h-[0-9a-f]{8,17}")
SUBNET_ID = re.compile(r"subnet-[0-9a-f]{8,17}")
PROFILE_NAME = re.compile(r"[\w+=,.@-]{1,128}")
PROFILE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:instance-profile/[\w+=,.@/-]+")


class TagsField(forms.Field):
    """Tags as "Key=Value" lines (the page), or a {"Key": "Value"} object or AWS's [{"Key", "Value"}] list (the
    API); cleans to a dict."""

    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "Name=web-1\nOwner=alice"})

    def to_python(self, value: Any) -> dict[str, str]:
        if isinstance(value, list) and all(isinstance(tag, dict) and "Key" in tag for tag in value):
            value = {tag["Key"]: tag.get("Value", "") for tag in value}
        if isinstance(value, dict):
            return {str(k).strip(): str(v).strip() for k, v in value.items()}
        tags: dict[str, str] = {}
        for number, line in enumerate(str(value or "").splitlines(), start=1):
            if not line.strip():
                continue
            key, equals, tag_value = line.partition("=")
            if not equals or not key.strip():
                raise forms.ValidationError(f"Line {number} ({line.strip()!r}): write each tag as Key=Value.")
            if key.strip() in tags:
                raise forms.ValidationError(f"The tag {key.strip()} is given twice.")
            tags[key.strip()] = tag_value.strip()
        return tags

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else value

    def validate(self, value: dict[str, str]) -> None:
        required = list(settings.FLEETUI_REQUIRED_TAGS)
        missing = [key for key in required if not value.get(key)]
        if missing:
            raise forms.ValidationError(
                f"Missing required tag{'s' * (len(missing) > 1)}: {', '.join(missing)} "
                f"(the tag policy requires {', '.join(required)})."
            )
        if len(value) > MAX_TAGS:
            raise forms.ValidationError(f"AWS takes at most {MAX_TAGS} tags per instance; {len(value)} were given.")
        for key, tag_value in value.items():
            if key.lower().startswith("aws:"):
                raise forms.ValidationError(f"The tag key {key} uses the prefix aws:, which AWS reserves.")
            if len(key) > MAX_KEY:
                raise forms.ValidationError(f"The tag key {key[:20]}… is over {MAX_KEY} characters.")
            if len(tag_value) > MAX_VALUE:
                raise forms.ValidationError(f"The value of the tag {key} is over {MAX_VALUE} characters.")


class LaunchFormFields(NoParams):
    """The fields; LaunchForm adds the scoped choices and the checks."""

    image_id = forms.CharField(
        label="AMI",
        max_length=32,
        widget=forms.Select,
        help_text="The account's own AMIs and those its instances run in this region.",
    )
    instance_type = forms.ChoiceField(
        label="Instance type",
        error_messages={"invalid_choice": "%(value)s is not in the instance-type catalog; pick a listed type."},
    )
    count = forms.IntegerField(
        label="Number of instances", min_value=1, max_value=MAX_COUNT, initial=1, help_text=f"1 to {MAX_COUNT}."
    )
    purchase = forms.ChoiceField(label="Purchase option", choices=[("on-demand", "On-demand"), ("spot", "Spot")])
    spot_max_price = forms.DecimalField(
        label="Spot max price",
        required=False,
        max_digits=12,
        decimal_places=6,
        help_text="USD per hour; empty: the current spot price (AWS advises leaving it empty).",
    )
    spot_type = forms.ChoiceField(
        label="Spot request", required=False, choices=[("one-time", "One-time"), ("persistent", "Persistent")]
    )
    spot_interruption = forms.ChoiceField(
        label="On interruption",
        required=False,
        choices=[("terminate", "Terminate"), ("stop", "Stop"), ("hibernate", "Hibernate")],
        help_text="Stop and hibernate need a persistent spot request.",
    )
    tenancy = forms.ChoiceField(
        required=False,
        choices=[("default", "Shared (default)"), ("dedicated", "Dedicated instance"), ("host", "Dedicated host")],
    )
    host_id = forms.CharField(label="Host id", required=False, max_length=32, help_text="For tenancy host: h-…")
    placement_group = forms.ChoiceField(
        label="Placement group",
        required=False,
        error_messages={"invalid_choice": "No placement group %(value)s in this account and region's inventory."},
    )
    key_name = forms.ChoiceField(
        label="Key pair",
        required=False,
        error_messages={"invalid_choice": "No key pair %(value)s in this account and region's inventory."},
    )
    security_groups = forms.MultipleChoiceField(
        label="Security groups",
        required=False,
        error_messages={"invalid_choice": "No security group %(value)s in this account and region's inventory."},
    )
    subnet_id = forms.CharField(label="Subnet", required=False, max_length=32, widget=forms.Select)
    availability_zone = forms.CharField(
        label="Availability zone",
        required=False,
        max_length=32,
        widget=forms.Select,
        help_text="Or a subnet; neither: AWS picks.",
    )
    tags = TagsField(required=False, help_text="One Key=Value per line.")
    iam_instance_profile = forms.CharField(
        label="IAM instance profile", required=False, max_length=2048, help_text="A name or an ARN."
    )
    user_data = forms.CharField(
        label="User data",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A bootstrap script, at most 16 KB.",
    )


class LaunchForm(LaunchFormFields):
    """Choices are names first and of the form's scope (fleetui.ec2.operations.launch_choices); the subnets and zones
    are read from AWS only when the form is drawn, not when a request is validated."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["instance_type"].choices = type_choices()
        scoped = resource_choices(self.account, self.region)
        fields["placement_group"].choices = [("", "None"), *scoped["placement_group"]]
        fields["key_name"].choices = [("", "None: no SSH key"), *scoped["key_name"]]
        fields["security_groups"].choices = scoped["security_groups"]
        # Callables, so they are worked out only when drawn (Django wraps them in a CallableChoiceIterator).
        fields["image_id"].widget.choices = self._image_choices
        fields["subnet_id"].widget.choices = self._subnet_choices
        fields["availability_zone"].widget.choices = self._zone_choices
        defaults = {"purchase": "on-demand", "spot_type": "one-time", "spot_interruption": "terminate"}
        for name, value in {**defaults, "tenancy": "default", "instance_type": type_default()}.items():
            fields[name].initial = value

    def entered(self, name: str) -> str:
        """What the user gave for field `name` (posted, or the initial value of a page drawn again)."""
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        return str(value or "").strip()

    def _image_choices(self) -> list[Any]:
        groups = image_choices(self.account, self.region, self.entered("image_id"))
        return [("", "Choose an AMI" if groups else "No AMI in this account and region's inventory"), *groups]

    @cached_property
    def subnets(self) -> tuple[list[dict[str, Any]], str]:
        """The region's subnets and why they are missing ("" when read), asked of AWS once per form."""
        return subnets_of(self.account, self.region)

    def _subnet_choices(self) -> list[tuple[str, str]]:
        return subnet_choices(self.subnets[0], self.entered("subnet_id"))

    def _zone_choices(self) -> list[tuple[str, str]]:
        return zone_choices(self.account, self.region, self.subnets[0], self.entered("availability_zone"))

    def clean_image_id(self) -> str:
        value = self.cleaned_data["image_id"].strip()
        if not AMI_ID.fullmatch(value):
            raise forms.ValidationError(f"{value!r} is not an AMI id (ami- and 8 or 17 hex digits).")
        return value

    def clean_user_data(self) -> str:
        # Browsers send CRLF line ends; a script with "#!/bin/bash\r" does not run.
        value = self.cleaned_data["user_data"].replace("\r\n", "\n")
        size = len(value.encode())
        if size > MAX_USER_DATA:
            raise forms.ValidationError(f"User data is {size:,} bytes; AWS takes at most 16 KB ({MAX_USER_DATA:,}).")
        return value

    def clean_iam_instance_profile(self) -> str:
        value = self.cleaned_data["iam_instance_profile"].strip()
        if value and not (PROFILE_ARN.fullmatch(value) or PROFILE_NAME.fullmatch(value)):
            raise forms.ValidationError(
                "Give an instance profile name (letters, digits and +=,.@-_) or its ARN "
                "(arn:aws:iam::123456789012:instance-profile/Name)."
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_spot(data)
        zone = self._clean_network(data)
        self._clean_placement(data, zone)
        if not self.errors:
            self._clean_image(data)
        if isinstance(data.get("spot_max_price"), Decimal):
            data["spot_max_price"] = str(data["spot_max_price"])  # JSON-serialisable, exact
        return data

    def _clean_spot(self, data: dict[str, Any]) -> None:
        if data.get("purchase") != "spot":
            for name in ("spot_max_price", "spot_type", "spot_interruption"):
                data[name] = None  # only meaningful for spot; left out of the action's parameters
            return
        data["spot_type"] = data.get("spot_type") or "one-time"
        data["spot_interruption"] = behaviour = data.get("spot_interruption") or "terminate"
        if behaviour in ("stop", "hibernate") and data["spot_type"] != "persistent":
            self.add_error(
                "spot_type",
                f"A spot instance that should {behaviour} on interruption needs a "
                "persistent spot request (AWS refuses one-time).",
            )
        if behaviour == "terminate" and data["spot_type"] == "persistent":
            self.add_error(
                "spot_type",
                "RunInstances takes a persistent spot request only with interruption "
                "stop or hibernate; choose one of them, or a one-time request.",
            )
        price = data.get("spot_max_price")
        if price is not None and price <= MIN_SPOT_PRICE:
            self.add_error("spot_max_price", f"A spot max price must be more than USD {MIN_SPOT_PRICE}.")

    def _clean_placement(self, data: dict[str, Any], zone: str) -> None:
        tenancy = data["tenancy"] = data.get("tenancy") or "default"
        host_id = data.get("host_id", "").strip()
        if tenancy == "host" and not host_id:
            self.add_error("host_id", "Tenancy host needs the dedicated host to launch on (h-…).")
        elif host_id and tenancy != "host":
            self.add_error("host_id", "A host id goes with tenancy host; choose that tenancy or clear the host.")
        elif host_id and not HOST_ID.fullmatch(host_id):
            self.add_error("host_id", f"{host_id!r} is not a host id (h- and 8 or 17 hex digits).")
        name = data.get("placement_group")
        if not name:
            return
        group = in_scope(PlacementGroup, self.account, self.region).filter(group_name=name).first()
        if group is None:
            self.add_error("placement_group", f"No placement group {name} in this account and region's inventory.")
            return
        if group.strategy == "spread":
            self._clean_spread(name, data.get("count") or 0, zone)
        if data.get("purchase") == "spot" and data.get("spot_interruption") in ("stop", "hibernate"):
            self.add_error(
                "placement_group",
                "AWS cannot launch a spot instance that stops or hibernates on interruption "
                "into a placement group; choose terminate, or no group.",
            )

    def _clean_spread(self, name: str, count: int, zone: str) -> None:
        """At most 7 running instances per AZ: the launch alone, plus, when the zone is known, the group's members
        the inventory shows running there."""
        running = 0
        if zone:
            members = in_scope(Instance, self.account, self.region).filter(placement_group=name, availability_zone=zone)
            running = members.filter(state__in=("pending", "running")).count()
        if count + running > SPREAD_PER_AZ:
            already = f"; {zone} already has {running} of them" if running else ""
            self.add_error(
                "count",
                f"{name} is a spread group: it holds at most {SPREAD_PER_AZ} running instances per availability "
                f"zone{already}, and {count} were asked for. Launch at most {SPREAD_PER_AZ - running}, or use "
                "another group or zone.",
            )

    def _clean_network(self, data: dict[str, Any]) -> str:
        """Checks the zone and the subnet (DescribeSubnets); returns the zone the launch goes to, "" if AWS picks."""
        zone = data.get("availability_zone", "").strip()
        if zone and not (zone.startswith(self.region) and len(zone) > len(self.region)):
            self.add_error("availability_zone", f"{zone} is not a zone of {self.region} (like {self.region}a).")
        subnet_id = data.get("subnet_id", "").strip()
        if not subnet_id:
            return zone
        if not SUBNET_ID.fullmatch(subnet_id):
            self.add_error("subnet_id", f"{subnet_id!r} is not a subnet id (subnet- and 8 or 17 hex digits).")
            return zone
        if self.account is None:
            return zone
        try:
            subnet = subnet_describe(account=account_ref(self.account), region=self.region, subnet_id=subnet_id)
        except AwsError as error:
            self.add_error("subnet_id", f"Could not check the subnet: {error}")
            return zone
        if subnet is None:
            self.add_error("subnet_id", f"{subnet_id} does not exist in {self.region} (InvalidSubnetID.NotFound).")
            return zone
        if zone and subnet.get("AvailabilityZone") != zone:
            self.add_error(
                "availability_zone",
                f"{subnet_id} is in {subnet.get('AvailabilityZone')}, not {zone}; give one of them, or matching ones.",
            )
        return str(subnet.get("AvailabilityZone") or zone)

    def _clean_image(self, data: dict[str, Any]) -> None:
        """DescribeImages: the AMI exists for this account, is available, and suits the type's architectures."""
        image_id, type_name = data.get("image_id"), data.get("instance_type")
        if not image_id or self.account is None:
            return
        try:
            image = image_describe(account=account_ref(self.account), region=self.region, image_id=image_id)
        except AwsError as error:
            self.add_error("image_id", f"Could not check the AMI: {error}")
            return
        if image is None:
            self.add_error(
                "image_id",
                f"{image_id} does not exist in {self.region}, or this account may not use it (InvalidAMIID.NotFound).",
            )
            return
        if image.get("State") != "available":
            why = (image.get("StateReason") or {}).get("Message", "")
            self.add_error("image_id", f"{image_id} is {image.get('State')}, not available{': ' + why if why else ''}.")
            return
        kind = InstanceType.objects.filter(name=type_name).first()
        arch = image.get("Architecture", "")
        if kind is not None and arch and kind.architectures and arch not in kind.architectures:
            self.add_error(
                "instance_type",
                f"{type_name} runs {', '.join(kind.architectures)}; {image_id} is built for {arch}. "
                "Pick a type of that architecture, or another AMI.",
            )
