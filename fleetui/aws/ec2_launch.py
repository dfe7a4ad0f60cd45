"""EC2 calls of the launch action: read an AMI and a subnet before launching, and RunInstances.

Plain functions, keyword-only, returning plain data. Error codes handled:
- `InvalidAMIID.NotFound` / `InvalidAMIID.Malformed` (DescribeImages): `image_describe` returns None;
- `InvalidSubnetID.NotFound` / `InvalidSubnetID.Malformed` (DescribeSubnets): `subnet_describe` returns None;
- `subnets_list` (DescribeSubnets, every subnet of the region) lets any error out as a domain error: the form says so;
- RunInstances refusals come out as fleetui.aws domain errors with AWS's message and code:
  `InsufficientInstanceCapacity` (AwsInsufficientCapacity), `InvalidParameterValue`,
  `InvalidParameterCombination`, `IdempotentParameterMismatch`, `InvalidPlacementGroup.Unknown` (AwsInvalidRequest
  or AwsNotFound), `InstanceLimitExceeded`...
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import AwsNotFound, aws_errors


def _ec2(account: AccountRef, region: str) -> Any:
    return client_get("ec2", account=account, region=region)


def image_describe(*, account: AccountRef, region: str, image_id: str) -> dict[str, Any] | None:
    """The AMI as DescribeImages reports it (any owner the account can see), or None when AWS does not know it
    (InvalidAMIID.NotFound, InvalidAMIID.Malformed)."""
    try:
        with aws_errors("DescribeImages"):
            answer = _ec2(account, region).describe_images(ImageIds=[image_id])
    except AwsNotFound:
        return None
    images = answer.get("Images", [])
    return images[0] if images else None


def subnet_describe(*, account: AccountRef, region: str, subnet_id: str) -> dict[str, Any] | None:
    """The subnet as DescribeSubnets reports it, or None (InvalidSubnetID.NotFound, InvalidSubnetID.Malformed)."""
    try:
        with aws_errors("DescribeSubnets"):
            answer = _ec2(account, region).describe_subnets(SubnetIds=[subnet_id])
    except AwsNotFound:
        return None
    subnets = answer.get("Subnets", [])
    return subnets[0] if subnets else None


def subnets_list(*, account: AccountRef, region: str) -> list[dict[str, Any]]:
    """Every subnet of the region as DescribeSubnets reports it (paginated, 1000 a page), for the launch form's
    choice: the inventory does not hold subnets. AWS errors come out as fleetui.aws domain errors."""
    pages = paginate(_ec2(account, region), "describe_subnets", "Subnets", PaginationConfig={"PageSize": 1000})
    return [subnet for page in pages for subnet in page]


@dataclass(frozen=True)
class LaunchSpec:
    """Everything a RunInstances call of the launch action sends. Empty values are left out of the request."""

    image_id: str
    instance_type: str
    count: int
    tags: dict[str, str] = field(default_factory=dict)
    spot: dict[str, str] | None = None  # {"max_price", "spot_type", "interruption"} for spot, None for on-demand
    tenancy: str = ""
    host_id: str = ""
    placement_group: str = ""
    availability_zone: str = ""
    subnet_id: str = ""
    security_group_ids: Sequence[str] = ()
    key_name: str = ""
    iam_instance_profile: str = ""  # a name, or an ARN
    user_data: str = ""


def _spot_options(spot: dict[str, str]) -> dict[str, Any]:
    options = {
        "MaxPrice": spot.get("max_price", ""),
        "SpotInstanceType": spot.get("spot_type", "one-time"),
        "InstanceInterruptionBehavior": spot.get("interruption", "terminate"),
    }
    return {"MarketType": "spot", "SpotOptions": {k: v for k, v in options.items() if v}}


def run_instances_request(spec: LaunchSpec, *, client_token: str) -> dict[str, Any]:
    """The RunInstances parameters for `spec` (pure). MinCount = MaxCount: all or nothing, never fewer."""
    request: dict[str, Any] = {
        "ImageId": spec.image_id,
        "InstanceType": spec.instance_type,
        "MinCount": spec.count,
        "MaxCount": spec.count,
        "ClientToken": client_token,
    }
    if spec.tags:
        tags = [{"Key": k, "Value": v} for k, v in spec.tags.items()]
        request["TagSpecifications"] = [{"ResourceType": kind, "Tags": tags} for kind in ("instance", "volume")]
    if spec.spot is not None:
        request["InstanceMarketOptions"] = _spot_options(spec.spot)
    placement = {
        "GroupName": spec.placement_group,
        "Tenancy": spec.tenancy,
        "HostId": spec.host_id,
        "AvailabilityZone": spec.availability_zone,
    }
    if any(placement.values()):
        request["Placement"] = {k: v for k, v in placement.items() if v}
    if spec.iam_instance_profile:
        arn = spec.iam_instance_profile.startswith("arn:")
        request["IamInstanceProfile"] = {"Arn" if arn else "Name": spec.iam_instance_profile}
    optional = {
        "SubnetId": spec.subnet_id,
        "SecurityGroupIds": list(spec.security_group_ids),
        "KeyName": spec.key_name,
        "UserData": spec.user_data,  # botocore base64-encodes it
    }
    request.update({k: v for k, v in optional.items() if v})
    return request


def instances_run(*, account: AccountRef, region: str, spec: LaunchSpec, client_token: str) -> list[str]:
    """RunInstances; returns the launched instance ids in launch order.

    The same `client_token` again launches nothing new and returns the same instances (EC2 idempotency), so a
    repeated call after a lost worker is safe. Raises AwsInsufficientCapacity (InsufficientInstanceCapacity) and
    the other fleetui.aws errors with AWS's message; nothing is launched then.
    """
    request = run_instances_request(spec, client_token=client_token)
    with aws_errors("RunInstances"):
        answer = _ec2(account, region).run_instances(**request)
    return [instance["InstanceId"] for instance in answer.get("Instances", [])]
