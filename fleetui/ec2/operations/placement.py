"""ec2.create_placement_group, ec2.delete_placement_group, ec2.move_placement and ec2.change_type.

Create and delete read AWS first, so a redelivered action finds its group made (or gone) and is done. Moving
instances between groups and changing their type both need stopped instances: they share the batched
stop -> change -> start cycle with the capacity retry of `capacity.StopChangeStart`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms

from fleetui.actions.common import poll_interval, wait_timeout
from fleetui.actions.context import ActionContext
from fleetui.actions.registry import ActionFailed, ActionInvalid, NoParams, Operation, operation
from fleetui.aws import AwsError
from fleetui.aws import ec2_instances as aws_instances
from fleetui.aws import ec2_placement as aws
from fleetui.core.roles import Role
from fleetui.ec2.models import Instance, InstanceType, PlacementGroup

from .capacity import CycleFields, Placement, StopChangeStart
from .launch_form import type_choices

if TYPE_CHECKING:
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account

STRATEGIES = [("cluster", "cluster: low latency, one AZ"), ("spread", "spread: separate hardware, 7 per AZ")]
STRATEGIES += [("partition", "partition: up to 7 partitions per AZ")]
MAX_PARTITIONS = 7


def _scope_groups(account: Account | None, region: str) -> dict[str, PlacementGroup]:
    """The live placement groups of the scope in the inventory, by name."""
    if account is None or not region:
        return {}
    rows = PlacementGroup.objects.filter(account=account, region=region, gone_at__isnull=True)
    return {row.group_name: row for row in rows}


class CreatePlacementGroupForm(NoParams):
    name = forms.CharField(max_length=255, help_text="Up to 255 ASCII characters, unique in the region.")
    strategy = forms.ChoiceField(choices=STRATEGIES)
    partition_count = forms.IntegerField(
        min_value=1, max_value=MAX_PARTITIONS, required=False, help_text="Partition strategy only (1-7)."
    )
    spread_level = forms.ChoiceField(
        choices=[("", "default (rack)"), ("rack", "rack"), ("host", "host (Outposts)")],
        required=False,
        help_text="Spread strategy only.",
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name.isascii() or not name.isprintable():
            raise forms.ValidationError("AWS takes printable ASCII characters only in a placement group name.")
        if name in _scope_groups(self.account, self.region):
            raise forms.ValidationError(
                f"A placement group named {name!r} already exists in {self.account}/{self.region}; names are unique "
                "in a region."
            )
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        strategy, count = data.get("strategy"), data.get("partition_count")
        if strategy == "partition" and not count:
            self.add_error("partition_count", "A partition group needs a partition count (1-7).")
        if strategy != "partition" and count:
            self.add_error("partition_count", "Only a partition group has partitions.")
        if strategy != "spread" and data.get("spread_level"):
            self.add_error("spread_level", "Only a spread group has a spread level.")
        return data


@operation
class CreatePlacementGroup(Operation):
    """Creates a group; a redelivery that finds the group already there with the same strategy is done."""

    kind, label, verb = "ec2.create_placement_group", "Create placement group", "Create"
    target_type, min_targets, max_targets = "placement_groups", 0, 0
    form_class = CreatePlacementGroupForm

    def lock_keys(self, action: Action) -> list[str]:
        return [action.params["name"]]

    def touched(self, action: Action) -> dict[str, list[str]]:
        name = action.result.get("group_name")
        return {"placement_groups": [name]} if name else {}

    def run(self, ctx: ActionContext) -> None:
        name, strategy = ctx.params["name"], ctx.params["strategy"]
        ctx.step(f"Looking for placement group {name!r}", progress=10)
        group = aws.placement_group_describe(account=ctx.account, region=ctx.region, name=name)
        if group is not None and group.get("Strategy") != strategy:
            raise ActionFailed(
                f"A placement group named {name!r} already exists with strategy {group.get('Strategy')}; "
                "nothing was created. Choose another name."
            )
        if group is not None:
            ctx.log(f"Placement group {name!r} ({strategy}) already exists: created by an earlier delivery.")
        else:
            ctx.step(f"Creating {strategy} placement group {name!r}", progress=30)
            group = aws.placement_group_create(
                account=ctx.account,
                region=ctx.region,
                name=name,
                strategy=strategy,
                partition_count=ctx.params.get("partition_count"),
                spread_level=ctx.params.get("spread_level"),
            )
        ctx.note(group_name=name, group_id=group.get("GroupId", ""))
        if group.get("State") != "available":
            ctx.step(f"Waiting until {name!r} is available", progress=60)
            group = ctx.wait(
                lambda: self._available(ctx, name), what=f"{name!r} to be available", timeout=wait_timeout(),
                interval=poll_interval(),
            )  # fmt: skip
            ctx.note(group_id=group.get("GroupId", ""))

    def _available(self, ctx: ActionContext, name: str) -> dict[str, Any] | None:
        group = aws.placement_group_describe(account=ctx.account, region=ctx.region, name=name)
        return group if group is not None and group.get("State") == "available" else None


@operation
class DeletePlacementGroup(Operation):
    """Deletes empty groups. A group the inventory shows with live members is refused before anything runs;
    AWS's InvalidPlacementGroup.InUse (members the inventory has not seen yet) fails the action plainly."""

    kind, label, verb = "ec2.delete_placement_group", "Delete placement group", "Delete"
    role, destructive, target_type = Role.ADMIN, True, "placement_groups"

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        known = _scope_groups(account, region)
        unknown = [name for name in targets if name not in known]
        if unknown:
            raise ActionInvalid(
                f"No placement group {', '.join(unknown)} in the inventory of {account.account_id}/{region}. "
                "Check the names, or sync first.",
                field="targets",
            )
        members = Instance.objects.filter(
            account=account, region=region, placement_group__in=targets, gone_at__isnull=True
        ).exclude(state="terminated")
        busy: dict[str, list[str]] = {}
        for group_name, instance_id in members.values_list("placement_group", "instance_id"):
            busy.setdefault(group_name, []).append(instance_id)
        if busy:
            said = "; ".join(
                f"{name!r} has {len(ids)} instance(s): {', '.join(sorted(ids)[:10])}{' ...' if len(ids) > 10 else ''}"
                for name, ids in sorted(busy.items())
            )
            raise ActionInvalid(
                f"Only an empty placement group can be deleted: {said}. Move them out or terminate them first.",
                field="targets",
            )
        return targets

    def run(self, ctx: ActionContext) -> None:
        outcome: dict[str, str] = {}
        for number, name in enumerate(ctx.targets):
            ctx.step(f"Deleting placement group {name!r}", progress=10 + 80 * number // len(ctx.targets))
            if aws.placement_group_describe(account=ctx.account, region=ctx.region, name=name) is None:
                outcome[name] = "already gone"
            else:
                try:
                    aws.placement_group_delete(account=ctx.account, region=ctx.region, name=name)
                    outcome[name] = "deleted"
                except AwsError as error:
                    if error.code != "InvalidPlacementGroup.InUse":
                        raise
                    outcome[name] = f"failed: AWS says it still has instances ({error})"
            ctx.note(groups=outcome)
        failed = [name for name, text in outcome.items() if text.startswith("failed")]
        if failed:
            raise ActionFailed(
                f"Not deleted, AWS says they still have instances (InvalidPlacementGroup.InUse): {', '.join(failed)}. "
                "Move or terminate their instances (stopped ones count too), then try again."
            )


class MovePlacementForm(CycleFields):
    destination = forms.ChoiceField(required=False, help_text="Empty: take the instances out of any group.")
    partition = forms.IntegerField(
        min_value=1, max_value=MAX_PARTITIONS, required=False, help_text="Partition groups only; empty: AWS picks."
    )
    field_order = ["destination", "partition", "batch_size", "capacity_retries"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = _scope_groups(self.account, self.region)
        fields: dict[str, Any] = self.fields
        fields["destination"].choices = [("", "No placement group (take them out)")] + [
            (name, f"{name} ({row.strategy}{f', {row.partition_count} partitions' if row.partition_count else ''})")
            for name, row in self.groups.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        group, partition = self.groups.get(data.get("destination") or ""), data.get("partition")
        if partition and (group is None or group.strategy != "partition"):
            self.add_error("partition", "A partition number needs a partition group as the destination.")
        elif partition and group is not None and partition > (group.partition_count or 0):
            self.add_error("partition", f"{group.group_name!r} has {group.partition_count} partitions.")
        return data


@operation
class MovePlacement(StopChangeStart):
    """Moves instances into, out of or between placement groups (ModifyInstancePlacement needs them stopped)."""

    kind, label, verb = "ec2.move_placement", "Move to a placement group", "Move"
    form_class = MovePlacementForm
    changed_key, doing, past = "moved", "Moving", "moved"

    def lock_keys(self, action: Action) -> list[str]:
        # The destination too: it must not be deleted while instances move into it.
        destination = action.params.get("destination")
        return [*action.targets, *([destination] if destination else [])]

    def origin(self, now: Placement) -> dict[str, Any]:
        return {"group": now["group"], "partition": now["partition"]}

    def goal(self, params: dict[str, Any]) -> tuple[Any, ...]:
        return (params.get("destination") or "", params.get("partition"))

    def arrived(self, ctx: ActionContext, now: Placement) -> bool:
        destination, partition = self.goal(ctx.params)
        return bool(now["group"] == destination and (not destination or not partition or now["partition"] == partition))

    def change(self, ctx: ActionContext, instance_id: str) -> None:
        destination, partition = self.goal(ctx.params)
        aws.instance_placement_set(
            account=ctx.account, region=ctx.region, instance_id=instance_id, group_name=destination,
            partition_number=partition,
        )  # fmt: skip

    def where(self, now: Placement) -> str:
        if not now["group"]:
            return "outside any placement group"
        return f"in placement group {now['group']!r}" + (f" partition {now['partition']}" if now["partition"] else "")

    def done_text(self, ctx: ActionContext) -> str:
        destination, partition = self.goal(ctx.params)
        return "moved " + self.where({"group": destination, "partition": partition}).replace("in ", "into ", 1)

    def rollbacks(self, action: Action) -> list[tuple[str, list[str], dict[str, Any]]]:
        groups = self.rollback_groups(action, self.changed_key, "group", "partition")
        buttons = []
        for (group, partition), ids in sorted(groups.items(), key=lambda item: str(item[0])):
            params = {**action.params, "destination": group or "", "partition": partition or ""}
            where = self.where({"group": group or "", "partition": partition})
            label = "Roll back to the original placement"
            buttons.append((label if len(groups) == 1 else f"{label}: {len(ids)} {where}", ids, params))
        return buttons


class ChangeTypeForm(CycleFields):
    instance_type = forms.ChoiceField(help_text="From the instance-type catalog.")
    field_order = ["instance_type", "batch_size", "capacity_retries"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields  # django-stubs types them as Field, without `choices`
        fields["instance_type"].choices = [("", "Choose a type"), *type_choices()]

    def clean_instance_type(self) -> str:
        name: str = self.cleaned_data["instance_type"]
        if not InstanceType.objects.filter(name=name).exists():
            raise forms.ValidationError(f"{name!r} is not in the instance-type catalog; sync the catalog first.")
        return name


@operation
class ChangeType(StopChangeStart):
    """Changes the instance type (ModifyInstanceAttribute InstanceType needs them stopped); instances already of
    the type are skipped."""

    kind, label, verb = "ec2.change_type", "Change instance type", "Change type"
    form_class = ChangeTypeForm
    changed_key, doing, past = "changed", "Changing the type of", "changed"

    def origin(self, now: Placement) -> dict[str, Any]:
        return {"type": now["type"]}

    def goal(self, params: dict[str, Any]) -> tuple[Any, ...]:
        return (params.get("instance_type"),)

    def arrived(self, ctx: ActionContext, now: Placement) -> bool:
        return bool(now["type"] == ctx.params["instance_type"])

    def change(self, ctx: ActionContext, instance_id: str) -> None:
        aws_instances.instance_type_set(
            account=ctx.account, region=ctx.region, instance_id=instance_id, instance_type=ctx.params["instance_type"]
        )

    def where(self, now: Placement) -> str:
        return f"as {now['type']}"

    def already_text(self, now: Placement) -> str:
        return f"already {now['type']}"

    def done_text(self, ctx: ActionContext) -> str:
        return f"changed to {ctx.params['instance_type']}"

    def rollbacks(self, action: Action) -> list[tuple[str, list[str], dict[str, Any]]]:
        groups = self.rollback_groups(action, self.changed_key, "type")
        label = "Roll back to the original type"
        return [
            (
                label if len(groups) == 1 else f"{label}: {len(ids)} to {kind}",
                ids,
                {**action.params, "instance_type": kind},
            )
            for (kind,), ids in sorted(groups.items())
        ]
