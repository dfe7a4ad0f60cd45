"""AMI and Elastic IP behaviour moto 5.2.5 gets wrong for fleetui's actions.

- CopyImage `Encrypted=True` (or an encrypted source): EC2 encrypts the copy's snapshots; moto ignores the flag.
  The copy's snapshot is marked encrypted with the KmsKeyId given or the account's default EBS key, and
  DescribeImages reports `Ebs.Encrypted` on every image, as EC2 does.
- CreateImage: an AMI name is unique per account and region; EC2 answers a second one with
  InvalidAMIName.Duplicate (moto creates it). A redelivered CreateImage therefore fails and the caller finds the
  first image by name.
- ReleaseAddress of an associated VPC address: EC2 refuses with InvalidIPAddress.InUse ("you must disassociate
  the Elastic IP address before you can release it"); moto disassociates and releases.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError

# The instance-store-backed AMI among moto's preloaded images (in every region): instances launched from it have
# RootDeviceType instance-store (launch.py), which EC2 cannot stop.
INSTANCE_STORE_AMI_NAME = "amzn-ami-minimal-pv-2.0.20180810-x86_64-gp2"


def instance_store_image(ec2: Any) -> str:
    """The id of the sandbox's instance-store-backed AMI, through a boto3 EC2 client."""
    images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": [INSTANCE_STORE_AMI_NAME]}])
    return next(i["ImageId"] for i in images["Images"] if i.get("RootDeviceType") == "instance-store")


def ami_block_device_mappings(self: Any) -> list[dict[str, Any]]:
    """Replaces moto's Ami.block_device_mappings property: the same mapping plus `Ebs.Encrypted`."""
    snapshot = self.ebs_snapshot
    return [
        {
            "DeviceName": self.root_device_name,
            "Ebs": {
                "SnapshotId": snapshot.id,
                "VolumeSize": 15,
                "DeleteOnTermination": False,
                "VolumeType": "standard",
                "Encrypted": bool(snapshot.encrypted),
            },
        }
    ]


def copy_image_wrap(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    """Wrap AmisResponse.copy_image so `Encrypted`/`KmsKeyId` reach the copy's snapshot."""

    def copy_image(self: Any) -> ActionResult:
        encrypted = bool(self._get_bool_param("Encrypted"))
        kms_key_id = self._get_param("KmsKeyId")
        if kms_key_id and not encrypted:
            raise EC2ClientError(
                "InvalidParameterDependency", "The parameter KmsKeyId requires the parameter Encrypted."
            )
        result = original(self)
        backend = self.ec2_backend
        copy = backend.amis[result.result["ImageId"]]  # type: ignore[index]
        source = _source_image(self)
        if encrypted or (source is not None and source.ebs_snapshot.encrypted):
            if not kms_key_id:
                if not backend.default_kms_key_id:
                    backend._create_default_encryption_key()
                kms_key_id = backend.default_kms_key_id
            copy.ebs_snapshot.encrypted, copy.ebs_snapshot.kms_key_id = True, kms_key_id
        return result

    copy_image.__wrapped__ = original  # type: ignore[attr-defined]
    copy_image._fleetui_wrapped = True  # type: ignore[attr-defined]
    return copy_image


def _source_image(response: Any) -> Any:
    from moto.ec2.models import ec2_backends

    backend = ec2_backends[response.current_account][response._get_param("SourceRegion")]
    return backend.amis.get(response._get_param("SourceImageId"))


def create_image_wrap(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    """Wrap AmisResponse.create_image: InvalidAMIName.Duplicate when the account already owns an AMI of that name."""

    def create_image(self: Any) -> ActionResult:
        name = self._get_param("Name")
        account = self.current_account
        for ami in self.ec2_backend.amis.values():
            if ami.name == name and ami.owner_id == account:
                raise EC2ClientError("InvalidAMIName.Duplicate", f"AMI name {name} is already in use by AMI {ami.id}")
        return original(self)

    create_image.__wrapped__ = original  # type: ignore[attr-defined]
    create_image._fleetui_wrapped = True  # type: ignore[attr-defined]
    return create_image


def release_address_wrap(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    """Wrap ElasticIPAddresses.release_address: an associated VPC address is refused with InvalidIPAddress.InUse."""

    def release_address(self: Any) -> ActionResult:
        allocation_id = self._get_param("AllocationId")
        public_ip = self._get_param("PublicIp")
        for eip in self.ec2_backend.addresses:
            named = (allocation_id and eip.allocation_id == allocation_id) or (public_ip and eip.public_ip == public_ip)
            if named and eip.domain == "vpc" and (eip.instance is not None or eip.eni is not None):
                raise EC2ClientError("InvalidIPAddress.InUse", f"Address {eip.public_ip} is in use.")
        return original(self)

    release_address.__wrapped__ = original  # type: ignore[attr-defined]
    release_address._fleetui_wrapped = True  # type: ignore[attr-defined]
    return release_address
