"""EC2 calls for the Elastic IP, key pair and AMI actions. Plain functions, keyword-only, returning plain data.

Errors come out as fleetui.aws domain errors with the AWS code on `.code`. The codes callers act on:
- Elastic IPs: `InvalidAllocationID.NotFound`, `InvalidAssociationID.NotFound` (AwsNotFound),
  `Resource.AlreadyAssociated` (associate without AllowReassociation), `InvalidIPAddress.InUse` (release while
  associated), `AddressLimitExceeded`;
- key pairs: `InvalidKeyPair.Duplicate`, `InvalidKeyPair.Format`, `InvalidKeyPair.NotFound`;
- AMIs: `InvalidAMIName.Duplicate`, `InvalidAMIName.Malformed`, `InvalidAMIID.NotFound`,
  `InvalidAMIID.Unavailable` (already deregistered), `InvalidAMIAttributeItemValue` (a bad account id),
  `InvalidParameterDependency` (a KMS key without encryption), `IncorrectInstanceState`.

The tag `ACTION_TAG` ("fleetui:action-id") marks what an action created, so a redelivered action finds its own
address, key pair or image instead of creating a second one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import aws_errors

ACTION_TAG = "fleetui:action-id"


def _ec2(account: AccountRef, region: str) -> Any:
    return client_get("ec2", account=account, region=region)


def _tag_spec(resource_type: str, tags: dict[str, str]) -> list[dict[str, Any]]:
    return [{"ResourceType": resource_type, "Tags": [{"Key": k, "Value": v} for k, v in tags.items()]}] if tags else []


def tags_dict(raw: dict[str, Any]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in raw.get("Tags") or []}


# Elastic IPs ------------------------------------------------------------------------------------------------------


def addresses_describe(
    *, account: AccountRef, region: str, ids: Sequence[str] = (), tag: tuple[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """{allocation id: DescribeAddresses item} for the named allocation ids (a filter: a missing id is absent),
    or for the addresses carrying `tag` (key, value)."""
    if tag is not None:
        filters = [{"Name": f"tag:{tag[0]}", "Values": [tag[1]]}]
    else:
        filters = [{"Name": "allocation-id", "Values": list(ids)}]
    found: dict[str, dict[str, Any]] = {}
    for page in paginate(_ec2(account, region), "describe_addresses", "Addresses", Filters=filters):
        found.update({item["AllocationId"]: item for item in page if "AllocationId" in item})
    return found


def address_allocate(*, account: AccountRef, region: str, tags: dict[str, str]) -> dict[str, Any]:
    """AllocateAddress (VPC) with `tags`; returns {"AllocationId", "PublicIp"}. AddressLimitExceeded at the quota."""
    with aws_errors("AllocateAddress"):
        answer = _ec2(account, region).allocate_address(Domain="vpc", TagSpecifications=_tag_spec("elastic-ip", tags))
    return {"AllocationId": answer["AllocationId"], "PublicIp": answer["PublicIp"]}


def address_associate(
    *, account: AccountRef, region: str, allocation_id: str, instance_id: str, allow_reassociation: bool
) -> str:
    """AssociateAddress to an instance's primary interface; returns the association id.

    Resource.AlreadyAssociated when the address is attached elsewhere and `allow_reassociation` is False."""
    with aws_errors("AssociateAddress"):
        answer = _ec2(account, region).associate_address(
            AllocationId=allocation_id, InstanceId=instance_id, AllowReassociation=allow_reassociation
        )
    return str(answer["AssociationId"])


def address_disassociate(*, account: AccountRef, region: str, association_id: str) -> None:
    """DisassociateAddress. InvalidAssociationID.NotFound when it is no longer associated."""
    with aws_errors("DisassociateAddress"):
        _ec2(account, region).disassociate_address(AssociationId=association_id)


def address_release(*, account: AccountRef, region: str, allocation_id: str) -> None:
    """ReleaseAddress. InvalidIPAddress.InUse while associated; InvalidAllocationID.NotFound once released."""
    with aws_errors("ReleaseAddress"):
        _ec2(account, region).release_address(AllocationId=allocation_id)


# Key pairs --------------------------------------------------------------------------------------------------------


def key_pairs_describe(*, account: AccountRef, region: str, names: Sequence[str]) -> dict[str, dict[str, Any]]:
    """{key name: DescribeKeyPairs item} for the names that exist (a `key-name` filter: a missing name is absent)."""
    filters = [{"Name": "key-name", "Values": list(names)}]
    found: dict[str, dict[str, Any]] = {}
    for page in paginate(_ec2(account, region), "describe_key_pairs", "KeyPairs", Filters=filters):
        found.update({item["KeyName"]: item for item in page if item["KeyName"] in names})
    return found


def key_pair_create(
    *, account: AccountRef, region: str, name: str, key_type: str, key_format: str, tags: dict[str, str]
) -> dict[str, Any]:
    """CreateKeyPair; returns {"KeyName", "KeyPairId", "KeyFingerprint", "KeyMaterial"}. The caller must never
    store KeyMaterial (the private key). InvalidKeyPair.Duplicate when the name is taken."""
    with aws_errors("CreateKeyPair"):
        answer = _ec2(account, region).create_key_pair(
            KeyName=name, KeyType=key_type, KeyFormat=key_format, TagSpecifications=_tag_spec("key-pair", tags)
        )
    return {k: answer.get(k, "") for k in ("KeyName", "KeyPairId", "KeyFingerprint", "KeyMaterial")}


def key_pair_import(
    *, account: AccountRef, region: str, name: str, public_key: str, tags: dict[str, str]
) -> dict[str, Any]:
    """ImportKeyPair; returns {"KeyName", "KeyPairId", "KeyFingerprint"}.

    InvalidKeyPair.Duplicate (name taken), InvalidKeyPair.Format (AWS cannot read the key)."""
    with aws_errors("ImportKeyPair"):
        answer = _ec2(account, region).import_key_pair(
            KeyName=name, PublicKeyMaterial=public_key.encode(), TagSpecifications=_tag_spec("key-pair", tags)
        )
    return {k: answer.get(k, "") for k in ("KeyName", "KeyPairId", "KeyFingerprint")}


def key_pair_delete(*, account: AccountRef, region: str, name: str) -> None:
    """DeleteKeyPair by name; AWS answers success for a name that does not exist (deleting twice is harmless)."""
    with aws_errors("DeleteKeyPair"):
        _ec2(account, region).delete_key_pair(KeyName=name)


# AMIs -------------------------------------------------------------------------------------------------------------


def images_owned(
    *, account: AccountRef, region: str, ids: Sequence[str] = (), name: str = ""
) -> dict[str, dict[str, Any]]:
    """{image id: DescribeImages item} among the account's own images (Owners=self): the named ids (a filter),
    or the image called `name` (AMI names are unique per account and region)."""
    filters = [{"Name": "name", "Values": [name]}] if name else [{"Name": "image-id", "Values": list(ids)}]
    found: dict[str, dict[str, Any]] = {}
    for page in paginate(_ec2(account, region), "describe_images", "Images", Owners=["self"], Filters=filters):
        found.update({item["ImageId"]: item for item in page})
    return found


def image_create(
    *,
    account: AccountRef,
    region: str,
    instance_id: str,
    name: str,
    description: str,
    no_reboot: bool,
    tags: dict[str, str],
) -> str:
    """CreateImage of an instance; returns the image id. InvalidAMIName.Duplicate when the name is taken,
    IncorrectInstanceState when the instance cannot be imaged now."""
    with aws_errors("CreateImage"):
        answer = _ec2(account, region).create_image(
            InstanceId=instance_id,
            Name=name,
            Description=description,
            NoReboot=no_reboot,
            TagSpecifications=_tag_spec("image", tags),
        )
    return str(answer["ImageId"])


def image_copy(
    *,
    account: AccountRef,
    source_region: str,
    destination_region: str,
    image_id: str,
    name: str,
    encrypted: bool,
    kms_key_id: str,
    client_token: str,
) -> str:
    """CopyImage into `destination_region` (the call goes to the destination); returns the new image id.

    `client_token` makes a repeated call return the first copy. InvalidAMIID.NotFound (source gone),
    InvalidParameterDependency (a KMS key without encryption), InvalidAMIName.Duplicate."""
    params: dict[str, Any] = {
        "SourceImageId": image_id,
        "SourceRegion": source_region,
        "Name": name,
        "Encrypted": encrypted,
        "ClientToken": client_token,
    }
    if kms_key_id:
        params["KmsKeyId"] = kms_key_id
    with aws_errors("CopyImage"):
        answer = _ec2(account, destination_region).copy_image(**params)
    return str(answer["ImageId"])


def image_launch_permissions(*, account: AccountRef, region: str, image_id: str) -> list[str]:
    """The account ids an image is shared with (DescribeImageAttribute launchPermission; "all" when public)."""
    with aws_errors("DescribeImageAttribute"):
        answer = _ec2(account, region).describe_image_attribute(ImageId=image_id, Attribute="launchPermission")
    return [p.get("UserId") or p.get("Group", "") for p in answer.get("LaunchPermissions", [])]


def image_share(*, account: AccountRef, region: str, image_id: str, account_ids: Sequence[str]) -> None:
    """ModifyImageAttribute LaunchPermission Add UserId (adding an account twice is harmless).

    InvalidAMIAttributeItemValue for an account id AWS does not accept."""
    permissions = [{"UserId": account_id} for account_id in account_ids]
    with aws_errors("ModifyImageAttribute"):
        _ec2(account, region).modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": permissions})


def image_deregister(*, account: AccountRef, region: str, image_id: str) -> None:
    """DeregisterImage. InvalidAMIID.Unavailable / InvalidAMIID.NotFound once it is gone."""
    with aws_errors("DeregisterImage"):
        _ec2(account, region).deregister_image(ImageId=image_id)
