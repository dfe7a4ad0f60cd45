"""EC2 reads: each fetcher yields one list of plain dicts (boto3's own shapes) per page AWS returns.

Pages stream: the caller transforms and stores a page before the next one is requested, so memory
stays flat however large the fleet. Every call is paginated where AWS paginates it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .clients import AccountRef, client_get, paginate

Page = list[dict[str, Any]]


def _ec2(account: AccountRef, region: str) -> Any:
    return client_get("ec2", account=account, region=region)


def instance_pages(*, account: AccountRef, region: str) -> Iterator[Page]:
    """Instances of every reservation (DescribeInstances, MaxResults 1000). Terminated ones are included."""
    for reservations in paginate(
        _ec2(account, region), "describe_instances", "Reservations", PaginationConfig={"PageSize": 1000}
    ):
        yield [instance for reservation in reservations for instance in reservation.get("Instances", [])]


def instance_type_pages(*, account: AccountRef, region: str) -> Iterator[Page]:
    """The instance-type catalog offered in the region (DescribeInstanceTypes, 100 per page)."""
    yield from paginate(
        _ec2(account, region), "describe_instance_types", "InstanceTypes", PaginationConfig={"PageSize": 100}
    )


def placement_group_pages(*, account: AccountRef, region: str) -> Iterator[Page]:
    """Placement groups (DescribePlacementGroups is not paginated by AWS: one page)."""
    yield from paginate(_ec2(account, region), "describe_placement_groups", "PlacementGroups")


def key_pair_pages(*, account: AccountRef, region: str) -> Iterator[Page]:
    """Key pairs (DescribeKeyPairs is not paginated by AWS: one page)."""
    yield from paginate(_ec2(account, region), "describe_key_pairs", "KeyPairs")


def address_pages(*, account: AccountRef, region: str) -> Iterator[Page]:
    """Elastic IPs (DescribeAddresses is not paginated by AWS: one page)."""
    yield from paginate(_ec2(account, region), "describe_addresses", "Addresses")


def image_pages(*, account: AccountRef, region: str) -> Iterator[Page]:
    """AMIs the account owns (DescribeImages with Owners=["self"]), 1000 per page."""
    yield from paginate(
        _ec2(account, region), "describe_images", "Images", Owners=["self"], PaginationConfig={"PageSize": 1000}
    )


def security_group_pages(*, account: AccountRef, region: str) -> Iterator[Page]:
    """Security groups with their rules (DescribeSecurityGroups), 1000 per page."""
    yield from paginate(
        _ec2(account, region), "describe_security_groups", "SecurityGroups", PaginationConfig={"PageSize": 1000}
    )


def network_interface_pages(*, account: AccountRef, region: str) -> Iterator[Page]:
    """Network interfaces (DescribeNetworkInterfaces), 1000 per page."""
    yield from paginate(
        _ec2(account, region),
        "describe_network_interfaces",
        "NetworkInterfaces",
        PaginationConfig={"PageSize": 1000},
    )


def volume_pages(*, account: AccountRef, region: str) -> Iterator[Page]:
    """EBS volumes (DescribeVolumes), 500 per page."""
    yield from paginate(_ec2(account, region), "describe_volumes", "Volumes", PaginationConfig={"PageSize": 500})
