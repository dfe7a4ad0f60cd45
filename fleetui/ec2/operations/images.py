"""ec2.image_create, ec2.image_copy, ec2.image_share, ec2.image_deregister: AMIs.

AMI names are unique per account and region, so a name is both what the form checks against the inventory
and how a redelivered action finds the image its first delivery made: CreateImage is tagged with the action id
(an image of that name without the tag is someone else's and fails the action); CopyImage carries a
ClientToken from the action id, and a copy of that name found on a redelivery is taken as this action's.
Create and copy wait until the image is `available`. The copy lands in another region, which the engine's
re-sync (action.region) does not cover, so the copy re-syncs its destination itself.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

from fleetui.actions.common import poll_interval, wait_timeout
from fleetui.actions.context import ActionContext
from fleetui.actions.models import Action
from fleetui.actions.registry import ActionFailed, ActionInvalid, NoParams, Operation, known_rows, operation, shown
from fleetui.actions.services import REGION_NAME
from fleetui.aws import AwsError
from fleetui.aws import ec2_resources as aws
from fleetui.core.roles import Role
from fleetui.ec2.models import Image, Instance
from fleetui.inventory.sync import sync_ids

from .common import instances_using

AMI_NAME = re.compile(r"[A-Za-z0-9()\[\] ./\-'@_]{3,128}")
ACCOUNT_ID = re.compile(r"\d{12}")


def clean_ami_name(name: str, *, account: Any, region: str) -> str:
    """AWS's AMI name rules (3-128 of letters, digits, ( ) [ ] space . / - ' @ _), unique in the account and region
    according to the inventory."""
    name = name.strip()
    if not AMI_NAME.fullmatch(name):
        raise forms.ValidationError(
            "An AMI name is 3-128 characters: letters, digits, spaces and ( ) [ ] . / - ' @ _ only."
        )
    taken = Image.objects.filter(account=account, region=region, name=name, gone_at__isnull=True).first()
    if taken is not None:
        raise forms.ValidationError(f"{taken.image_id} in {region} is already called {name}; AMI names are unique.")
    return name


def wait_available(ctx: ActionContext, *, region: str, image_id: str, start: int) -> None:
    """Poll DescribeImages until the image is available; a `failed` image (or one gone) fails the action."""
    ctx.step(f"Waiting until {image_id} is available in {region}", progress=start)

    def available() -> bool | None:
        state = aws.images_owned(account=ctx.account, region=region, ids=[image_id]).get(image_id, {}).get("State")
        if state in (None, "failed", "invalid", "deregistered", "error"):
            raise ActionFailed(f"{image_id} in {region} is {state or 'gone'}; AWS did not finish the image.")
        ctx.progress(min(95, ctx.action.progress + 5))
        return True if state == "available" else None

    ctx.wait(available, what=f"{image_id} to be available", timeout=wait_timeout(), interval=poll_interval())


class CreateForm(NoParams):
    name = forms.CharField(max_length=128, label="AMI name")
    description = forms.CharField(max_length=255, required=False)
    no_reboot = forms.BooleanField(
        required=False,
        label="No reboot",
        help_text="Image without rebooting: faster, but files being written may be inconsistent.",
    )

    def clean_name(self) -> str:
        return clean_ami_name(self.cleaned_data["name"], account=self.account, region=self.region)


@operation
class CreateImage(Operation):
    kind, label, verb = "ec2.image_create", "Create image (AMI)", "Create image"
    target_type, max_targets = "instances", 1
    form_class = CreateForm
    acts_on = frozenset({"running", "stopped"})  # the instance page shows the button only in these states

    def clean_targets(self, *, account: Any, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        row = known_rows(Instance, account=account, region=region, ids=targets)[targets[0]]
        if row.state not in self.acts_on:
            raise ActionInvalid(f"{row.instance_id} is {row.state}; an image needs a running or stopped instance.")
        return targets

    def lock_keys(self, action: Action) -> list[str]:
        return [*action.targets, f"ami-name:{action.params['name']}"]

    def touched(self, action: Action) -> dict[str, list[str]]:
        image_id = action.result.get("image_id")
        return {"instances": list(action.targets), **({"images": [image_id]} if image_id else {})}

    def run(self, ctx: ActionContext) -> None:
        name, instance_id = ctx.params["name"], ctx.targets[0]
        ctx.step(f"Looking for an image called {name}", progress=5)
        found = aws.images_owned(account=ctx.account, region=ctx.region, name=name)
        if found:
            image_id, raw = next(iter(found.items()))
            if aws.tags_dict(raw).get(aws.ACTION_TAG) != str(ctx.action.pk):
                raise ActionFailed(f"{image_id} is already called {name} (not made by this action); pick another name.")
            ctx.log(f"{image_id} was created by an earlier delivery of this action.")
        else:
            ctx.step(f"Creating image {name} from {instance_id}", progress=15)
            image_id = aws.image_create(
                account=ctx.account,
                region=ctx.region,
                instance_id=instance_id,
                name=name,
                description=ctx.params.get("description", ""),
                no_reboot=bool(ctx.params.get("no_reboot")),
                tags={aws.ACTION_TAG: str(ctx.action.pk)},
            )
        ctx.note(image_id=image_id, name=name)
        wait_available(ctx, region=ctx.region, image_id=image_id, start=30)


class CopyForm(NoParams):
    destination_region = forms.CharField(max_length=32, label="Destination region")
    name = forms.CharField(max_length=128, label="Name of the copy")
    encrypted = forms.BooleanField(required=False, help_text="Encrypt the copy's snapshots.")
    kms_key_id = forms.CharField(
        max_length=2048, required=False, label="KMS key", help_text="Only with encryption; empty: the default EBS key."
    )

    def clean_destination_region(self) -> str:
        region = self.cleaned_data["destination_region"].strip()
        if not REGION_NAME.fullmatch(region):
            raise forms.ValidationError(f"{region!r} is not an AWS region name (like eu-west-1).")
        if region == self.region:
            raise forms.ValidationError("A copy goes to another region; pick one other than the source.")
        return region

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kms_key_id") and not data.get("encrypted"):
            self.add_error("kms_key_id", "A KMS key only applies to an encrypted copy: tick Encrypted or clear it.")
        if data.get("name") and data.get("destination_region"):
            try:
                data["name"] = clean_ami_name(data["name"], account=self.account, region=data["destination_region"])
            except forms.ValidationError as error:
                self.add_error("name", error)
        return data


@operation
class CopyImage(Operation):
    kind, label, verb = "ec2.image_copy", "Copy image to another region", "Copy"
    target_type, max_targets = "images", 1
    form_class = CopyForm

    def lock_keys(self, action: Action) -> list[str]:
        return [*action.targets, f"{action.params['destination_region']}:ami-name:{action.params['name']}"]

    def touched(self, action: Action) -> dict[str, list[str]]:
        return {}  # the source is unchanged; run() re-syncs the copy in its own region

    def run(self, ctx: ActionContext) -> None:
        destination, name = ctx.params["destination_region"], ctx.params["name"]
        ctx.step(f"Looking for an image called {name} in {destination}", progress=5)
        found = aws.images_owned(account=ctx.account, region=destination, name=name)
        if found and not (ctx.resumed or ctx.result.get("image_id") in found):
            raise ActionFailed(f"{next(iter(found))} in {destination} is already called {name}; pick another name.")
        if found:
            image_id = next(iter(found))
            ctx.log(f"{image_id} was copied by an earlier delivery of this action.")
        else:
            ctx.step(f"Copying {ctx.targets[0]} to {destination}", progress=15)
            image_id = aws.image_copy(
                account=ctx.account,
                source_region=ctx.region,
                destination_region=destination,
                image_id=ctx.targets[0],
                name=name,
                encrypted=bool(ctx.params.get("encrypted")),
                kms_key_id=ctx.params.get("kms_key_id", ""),
                client_token=ctx.client_token("copy"),
            )
        ctx.note(image_id=image_id, destination_region=destination, encrypted=bool(ctx.params.get("encrypted")))
        try:
            wait_available(ctx, region=destination, image_id=image_id, start=30)
        finally:
            self.resync_destination(ctx, destination, image_id)

    def resync_destination(self, ctx: ActionContext, region: str, image_id: str) -> None:
        """The engine re-syncs action.region only; the copy lives in `region`."""
        try:
            sync_ids(account=ctx.action.account, region=region, resource_type="images", ids=[image_id])
        except AwsError as error:
            ctx.log(
                f"Could not refresh the inventory of {region}'s images: {error}. The next sync will.", level="warning"
            )


class ShareForm(NoParams):
    account_ids = forms.CharField(
        label="AWS account ids", help_text="12 digits each, separated by commas or spaces.", max_length=2000
    )

    def clean_account_ids(self) -> list[str]:
        ids = list(dict.fromkeys(re.split(r"[\s,]+", self.cleaned_data["account_ids"].strip())))
        bad = [i for i in ids if not ACCOUNT_ID.fullmatch(i)]
        if bad:
            raise forms.ValidationError(f"Not 12-digit AWS account ids: {shown(bad)}.")
        if self.account is not None and self.account.account_id in ids:
            raise forms.ValidationError(f"{self.account.account_id} owns the image; it needs no launch permission.")
        return ids


@operation
class ShareImage(Operation):
    kind, label, verb = "ec2.image_share", "Share images with accounts", "Share"
    target_type = "images"
    form_class = ShareForm

    def run(self, ctx: ActionContext) -> None:
        accounts = list(ctx.params["account_ids"])
        outcome: dict[str, str] = {}
        for number, image_id in enumerate(ctx.targets):
            ctx.step(f"Sharing {image_id} with {', '.join(accounts)}", progress=10 + 85 * number // len(ctx.targets))
            have = aws.image_launch_permissions(account=ctx.account, region=ctx.region, image_id=image_id)
            todo = [a for a in accounts if a not in have]
            if todo:
                aws.image_share(account=ctx.account, region=ctx.region, image_id=image_id, account_ids=todo)
            already = [a for a in accounts if a not in todo]
            outcome[image_id] = "; ".join(
                part
                for part in (
                    f"shared with {', '.join(todo)}" if todo else "",
                    f"already shared with {', '.join(already)}" if already else "",
                )
                if part
            )
            ctx.note(images=outcome)


@operation
class DeregisterImage(Operation):
    """Deregisters AMIs. Instances launched from one keep running, so the inventory's count of them is a warning
    in the result; an image already gone counts as done."""

    kind, label, verb = "ec2.image_deregister", "Deregister images", "Deregister"
    target_type, role, destructive = "images", Role.ADMIN, True

    def run(self, ctx: ActionContext) -> None:
        used = instances_using(account=ctx.action.account, region=ctx.region, field="image_id", values=ctx.targets)
        warnings = [
            f"{count} instance{'s' * (count > 1)} in the inventory {'were' if count > 1 else 'was'} launched from "
            f"{image_id}; they keep running, but cannot be relaunched from it."
            for image_id, count in sorted(used.items())
        ]
        for warning in warnings:
            ctx.log(warning, level="warning")
        ctx.note(warnings=warnings)
        ctx.step(f"Reading {len(ctx.targets)} image(s)", progress=10)
        found = aws.images_owned(account=ctx.account, region=ctx.region, ids=ctx.targets)
        outcome: dict[str, str] = {}
        for number, image_id in enumerate(ctx.targets):
            if found.get(image_id, {}).get("State", "deregistered") == "deregistered":
                outcome[image_id] = "already deregistered"
            else:
                ctx.step(f"Deregistering {image_id}", progress=20 + 70 * number // len(ctx.targets))
                aws.image_deregister(account=ctx.account, region=ctx.region, image_id=image_id)
                outcome[image_id] = "deregistered"
            ctx.note(images=outcome)
