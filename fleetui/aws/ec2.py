"""EC2 reads: each fetcher yields one list of plain dicts (boto3's own shapes) per page AWS returns.

Pages stream: the caller transforms and stores a page before the next one is requested, so memory
stays flat however large the fleet. Every call is paginated where AWS paginates it.

Every fetcher except the instance-type catalog takes an optional `ids`: only those resources are asked for
(a targeted re-sync after an action). They are named with an id *filter*, never the *Ids/*Names parameters,
because those fail the whole call with *.NotFound (InvalidInstanceID.NotFound, InvalidKeyPair.NotFound,
InvalidAllocationID.NotFound, InvalidAMIID.NotFound, InvalidGroup.NotFound...) when one id no longer
exists, whereas a filter just returns fewer items. Ids go out `FILTER_CHUNK` values per call (AWS caps the
values of one filter at 200). `ids=[]` makes no call and yields nothing; `ids=None` fetches everything.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .clients import AccountRef, client_get, paginate

Page = list[dict[str, Any]]
FILTER_CHUNK = 200


def _ec2(account: AccountRef, region: str) -> Any:
    return client_get("ec2", account=account, region=region)


def _pages(
    account: AccountRef,
    region: str,
    method: str,
    result_key: str,
    *,
    id_filter: str,
    ids: Sequence[str] | None,
    **params: Any,
) -> Iterator[Page]:
    """Pages of `method`: everything when `ids` is None, else only the items whose `id_filter` is one of `ids`."""
    client = _ec2(account, region)
    if ids is None:
        yield from paginate(client, method, result_key, **params)
        return
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), FILTER_CHUNK):
        values = unique[start : start + FILTER_CHUNK]
        yield from paginate(client, method, result_key, Filters=[{"Name": id_filter, "Values": values}], **params)


def instance_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Instances of every reservation (DescribeInstances, MaxResults 1000). Terminated ones are included.

    `ids`: only these instance ids (filter `instance-id`)."""
    for reservations in _pages(
        account,
        region,
        "describe_instances",
        "Reservations",
        id_filter="instance-id",
        ids=ids,
        PaginationConfig={"PageSize": 1000},
    ):
        yield [instance for reservation in reservations for instance in reservation.get("Instances", [])]


def instance_type_pages(*, account: AccountRef, region: str) -> Iterator[Page]:
    """The instance-type catalog offered in the region (DescribeInstanceTypes, 100 per page)."""
    yield from paginate(
        _ec2(account, region), "describe_instance_types", "InstanceTypes", PaginationConfig={"PageSize": 100}
    )


def placement_group_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Placement groups (DescribePlacementGroups is not paginated by AWS: one page per call).

    `ids`: only these group names (filter `group-name`; the inventory keys placement groups by name)."""
    yield from _pages(account, region, "describe_placement_groups", "PlacementGroups", id_filter="group-name", ids=ids)


def key_pair_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Key pairs (DescribeKeyPairs is not paginated by AWS: one page per call).

    `ids`: only these key names (filter `key-name`; the inventory keys key pairs by name)."""
    yield from _pages(account, region, "describe_key_pairs", "KeyPairs", id_filter="key-name", ids=ids)


def address_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Elastic IPs (DescribeAddresses is not paginated by AWS: one page per call).

    `ids`: only these allocation ids (filter `allocation-id`)."""
    yield from _pages(account, region, "describe_addresses", "Addresses", id_filter="allocation-id", ids=ids)


def image_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """AMIs the account owns (DescribeImages with Owners=["self"]), 1000 per page.

    `ids`: only these image ids (filter `image-id`), still only among the account's own images."""
    yield from _pages(
        account,
        region,
        "describe_images",
        "Images",
        id_filter="image-id",
        ids=ids,
        Owners=["self"],
        PaginationConfig={"PageSize": 1000},
    )


def security_group_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Security groups with their rules (DescribeSecurityGroups), 1000 per page.

    `ids`: only these group ids (filter `group-id`)."""
    yield from _pages(
        account,
        region,
        "describe_security_groups",
        "SecurityGroups",
        id_filter="group-id",
        ids=ids,
        PaginationConfig={"PageSize": 1000},
    )


def network_interface_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Network interfaces (DescribeNetworkInterfaces), 1000 per page.

    `ids`: only these interface ids (filter `network-interface-id`)."""
    yield from _pages(
        account,
        region,
        "describe_network_interfaces",
        "NetworkInterfaces",
        id_filter="network-interface-id",
        ids=ids,
        PaginationConfig={"PageSize": 1000},
    )


def volume_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """EBS volumes (DescribeVolumes), 500 per page.

    `ids`: only these volume ids (filter `volume-id`)."""
    yield from _pages(
        account,
        region,
        "describe_volumes",
        "Volumes",
        id_filter="volume-id",
        ids=ids,
        PaginationConfig={"PageSize": 500},
    )
