"""ec2.eip_allocate, ec2.eip_associate, ec2.eip_disassociate, ec2.eip_release: Elastic IP addresses.

Targets are allocation ids. Each run reads the addresses first, so a redelivered action continues: an
allocation is tagged with the action id ("fleetui:action-id") and found again instead of allocated twice; an
address already associated with the wanted instance, already disassociated or already released counts as done.
Releasing an associated address is refused (inventory check first, AWS's InvalidIPAddress.InUse as the backstop).
"""

from __future__ import annotations

from typing import Any

from django import forms

from fleetui.actions.context import ActionContext
from fleetui.actions.models import Action
from fleetui.actions.registry import ActionFailed, ActionInvalid, NoParams, Operation, known_rows, operation, shown
from fleetui.aws import AwsError
from fleetui.aws import ec2_resources as aws
from fleetui.core.roles import Role
from fleetui.ec2.models import ElasticIP, Instance

DISASSOCIATE_FIRST = "it is associated with {where}: disassociate it first"


class AllocateForm(NoParams):
    name = forms.CharField(required=False, max_length=255, label="Name tag", help_text="Optional.")


@operation
class Allocate(Operation):
    kind, label, verb = "ec2.eip_allocate", "Allocate Elastic IP", "Allocate"
    target_type, min_targets, max_targets = "elastic_ips", 0, 0
    form_class = AllocateForm

    def lock_keys(self, action: Action) -> list[str]:
        return []  # nothing exists yet to collide on

    def touched(self, action: Action) -> dict[str, list[str]]:
        allocation_id = action.result.get("allocation_id")
        return {"elastic_ips": [allocation_id]} if allocation_id else {}

    def run(self, ctx: ActionContext) -> None:
        tag = str(ctx.action.pk)
        ctx.step("Looking for an address this action already allocated", progress=10)
        mine = aws.addresses_describe(account=ctx.account, region=ctx.region, tag=(aws.ACTION_TAG, tag))
        if mine:
            allocation_id, found = next(iter(mine.items()))
            ctx.log(f"Found {allocation_id} ({found['PublicIp']}), allocated by an earlier delivery.")
            ctx.note(allocation_id=allocation_id, public_ip=found["PublicIp"])
            return
        ctx.step("Allocating an Elastic IP address", progress=40)
        tags = {aws.ACTION_TAG: tag, **({"Name": ctx.params["name"]} if ctx.params.get("name") else {})}
        address = aws.address_allocate(account=ctx.account, region=ctx.region, tags=tags)
        ctx.note(allocation_id=address["AllocationId"], public_ip=address["PublicIp"])
        ctx.log(f"Allocated {address['AllocationId']} ({address['PublicIp']}).")


class AssociateForm(NoParams):
    instance_id = forms.CharField(max_length=32, label="Instance", help_text="An instance id, running or stopped.")
    allow_reassociation = forms.BooleanField(
        required=False, label="Allow reassociation", help_text="Move the address if it is attached elsewhere."
    )

    def clean_instance_id(self) -> str:
        """The instance must be in the inventory of the same account and region, running or stopped."""
        instance_id = self.cleaned_data["instance_id"].strip()
        row = Instance.objects.filter(
            account=self.account, region=self.region, instance_id=instance_id, gone_at__isnull=True
        ).first()
        if row is None:
            raise forms.ValidationError(f"{instance_id} is not in the inventory of this account and region.")
        if row.state not in ("running", "stopped"):
            raise forms.ValidationError(f"{instance_id} is {row.state}; an address needs a running or stopped one.")
        return instance_id


@operation
class Associate(Operation):
    kind, label, verb = "ec2.eip_associate", "Associate Elastic IP", "Associate"
    target_type, max_targets = "elastic_ips", 1
    form_class = AssociateForm

    def clean_targets(self, *, account: Any, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        row = known_rows(ElasticIP, account=account, region=region, ids=targets)[targets[0]]
        elsewhere = row.is_attached and row.instance_id != params["instance_id"]
        if elsewhere and not params.get("allow_reassociation"):
            raise ActionInvalid(
                f"{row.allocation_id} is already associated with {row.instance_id or row.network_interface_id}; "
                'tick "Allow reassociation" to move it.',
                field="targets",
            )
        return targets

    def lock_keys(self, action: Action) -> list[str]:
        return [*action.targets, action.params["instance_id"]]

    def touched(self, action: Action) -> dict[str, list[str]]:
        instances = [action.params["instance_id"]]
        if action.result.get("previous_instance"):
            instances.append(action.result["previous_instance"])  # it lost its public address
        return {"elastic_ips": list(action.targets), "instances": instances}

    def run(self, ctx: ActionContext) -> None:
        allocation_id, instance_id = ctx.targets[0], ctx.params["instance_id"]
        ctx.step(f"Reading {allocation_id}", progress=10)
        found = aws.addresses_describe(account=ctx.account, region=ctx.region, ids=[allocation_id]).get(allocation_id)
        if found is None:
            raise ActionFailed(f"{allocation_id} no longer exists in AWS (released?). Nothing was changed.")
        if found.get("InstanceId") == instance_id:
            ctx.note(association_id=found.get("AssociationId", ""), outcome=f"already associated with {instance_id}")
            return
        current = found.get("InstanceId") or found.get("NetworkInterfaceId")
        if current and not ctx.params.get("allow_reassociation"):
            raise ActionFailed(
                f"{allocation_id} is now associated with {current}; nothing was changed. "
                'Request again with "Allow reassociation" ticked to move it.'
            )
        ctx.note(previous_instance=found.get("InstanceId", ""))
        ctx.step(f"Associating {found['PublicIp']} with {instance_id}", progress=40)
        association_id = aws.address_associate(
            account=ctx.account,
            region=ctx.region,
            allocation_id=allocation_id,
            instance_id=instance_id,
            allow_reassociation=bool(ctx.params.get("allow_reassociation")),
        )
        ctx.note(association_id=association_id, outcome=f"associated with {instance_id}")


def _addresses_now(ctx: ActionContext) -> dict[str, dict[str, Any]]:
    ctx.step(f"Reading {len(ctx.targets)} address(es)", progress=10)
    return aws.addresses_describe(account=ctx.account, region=ctx.region, ids=ctx.targets)


def _fail_if_any(ctx: ActionContext, outcome: dict[str, str], past: str) -> None:
    failed = sorted(a for a, text in outcome.items() if text.startswith("failed"))
    if failed:
        reasons = "; ".join(f"{a}: {outcome[a].removeprefix('failed: ')}" for a in failed[:5])
        raise ActionFailed(f"{len(failed)} of {len(ctx.targets)} address(es) could not be {past}: {reasons}.")


@operation
class Disassociate(Operation):
    kind, label, verb = "ec2.eip_disassociate", "Disassociate Elastic IPs", "Disassociate"
    target_type = "elastic_ips"

    def clean_targets(self, *, account: Any, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        rows = known_rows(ElasticIP, account=account, region=region, ids=targets)
        loose = [a for a in targets if not rows[a].is_attached]
        if loose:
            raise ActionInvalid(f"Not associated, nothing to disassociate: {shown(loose)}.", field="targets")
        return targets

    def touched(self, action: Action) -> dict[str, list[str]]:
        instances = action.result.get("instances_before", [])
        return {"elastic_ips": list(action.targets), **({"instances": instances} if instances else {})}

    def run(self, ctx: ActionContext) -> None:
        found = _addresses_now(ctx)
        outcome: dict[str, str] = {}
        # The instances that lose their public address, re-synced at the end (a list, so the per-address
        # outcome below stays the result's only {target: ...} dict).
        ctx.note(instances_before=sorted({raw["InstanceId"] for raw in found.values() if raw.get("InstanceId")}))
        for number, allocation_id in enumerate(ctx.targets):
            raw = found.get(allocation_id)
            if raw is None:
                outcome[allocation_id] = "failed: not found in AWS"
            elif not raw.get("AssociationId"):
                outcome[allocation_id] = "already disassociated"
            else:
                ctx.step(f"Disassociating {allocation_id}", progress=20 + 70 * number // len(ctx.targets))
                aws.address_disassociate(account=ctx.account, region=ctx.region, association_id=raw["AssociationId"])
                outcome[allocation_id] = "disassociated"
            ctx.note(addresses=outcome)
        _fail_if_any(ctx, outcome, "disassociated")


@operation
class Release(Operation):
    kind, label, verb = "ec2.eip_release", "Release Elastic IPs", "Release"
    target_type, role, destructive = "elastic_ips", Role.ADMIN, True

    def clean_targets(self, *, account: Any, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        rows = known_rows(ElasticIP, account=account, region=region, ids=targets)
        busy = [a for a in targets if rows[a].is_attached]
        if busy:
            where = {a: rows[a].instance_id or rows[a].network_interface_id for a in busy}
            raise ActionInvalid(
                "Releasing an associated address is refused: "
                + "; ".join(f"{a} {DISASSOCIATE_FIRST.format(where=where[a])}" for a in busy[:10])
                + ".",
                field="targets",
            )
        return targets

    def run(self, ctx: ActionContext) -> None:
        found = _addresses_now(ctx)
        outcome: dict[str, str] = {}
        for number, allocation_id in enumerate(ctx.targets):
            raw = found.get(allocation_id)
            if raw is None:
                outcome[allocation_id] = "already released"
            elif raw.get("AssociationId"):
                where = raw.get("InstanceId") or raw.get("NetworkInterfaceId")
                outcome[allocation_id] = "failed: " + DISASSOCIATE_FIRST.format(where=where)
            else:
                ctx.step(f"Releasing {allocation_id}", progress=20 + 70 * number // len(ctx.targets))
                outcome[allocation_id] = self.release(ctx, allocation_id)
            ctx.note(addresses=outcome)
        _fail_if_any(ctx, outcome, "released")

    def release(self, ctx: ActionContext, allocation_id: str) -> str:
        """Release one address; AWS's InvalidIPAddress.InUse (associated since the read) becomes its outcome."""
        try:
            aws.address_release(account=ctx.account, region=ctx.region, allocation_id=allocation_id)
        except AwsError as error:
            if error.code != "InvalidIPAddress.InUse":
                raise
            return f"failed: AWS says it is in use ({error.message}): disassociate it first"
        return "released"
