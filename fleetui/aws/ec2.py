"""EC2 reads: each fetcher yields one list of plain dicts (boto3's own shapes) per page AWS returns.

Pages stream: the caller transforms and stores a page before the next one is requested, so memory
stays flat however large the fleet. Every call is paginated where AWS paginates it.

Each resource type is a declarative `Query` (fleetui.aws.query). Every fetcher except the instance-type catalog
takes an optional `ids`: only those resources are asked for (a targeted re-sync after an action). They are named
with an id *filter*, never the *Ids/*Names parameters, because those fail the whole call with *.NotFound
(InvalidInstanceID.NotFound, InvalidKeyPair.NotFound, InvalidAllocationID.NotFound, InvalidAMIID.NotFound,
InvalidGroup.NotFound...) when one id no longer exists, whereas a filter just returns fewer items. Ids go out
200 values per call (AWS caps the values of one filter at 200). `ids=[]` makes no call and yields
nothing; `ids=None` fetches everything.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from .clients import AccountRef, client_get, paginate
from .query import Page, Query

INSTANCES = Query(
    "ec2", "describe_instances", "Reservations", page_size=1000, id_filter="instance-id", flatten="Instances"
)
INSTANCE_TYPES = Query("ec2", "describe_instance_types", "InstanceTypes", page_size=100)
# DescribePlacementGroups, DescribeKeyPairs and DescribeAddresses are not paginated by AWS: one page per call.
# The inventory keys placement groups and key pairs by name, so they are named by name.
PLACEMENT_GROUPS = Query("ec2", "describe_placement_groups", "PlacementGroups", id_filter="group-name")
KEY_PAIRS = Query("ec2", "describe_key_pairs", "KeyPairs", id_filter="key-name")
ADDRESSES = Query("ec2", "describe_addresses", "Addresses", id_filter="allocation-id")
# Only the account's own AMIs, also when named by id.
IMAGES = Query("ec2", "describe_images", "Images", page_size=1000, params={"Owners": ["self"]}, id_filter="image-id")
SECURITY_GROUPS = Query("ec2", "describe_security_groups", "SecurityGroups", page_size=1000, id_filter="group-id")
NETWORK_INTERFACES = Query(
    "ec2", "describe_network_interfaces", "NetworkInterfaces", page_size=1000, id_filter="network-interface-id"
)
VOLUMES = Query("ec2", "describe_volumes", "Volumes", page_size=500, id_filter="volume-id")
# DescribeReservedInstances is not paginated: every reservation of the region (any state) in one answer.
RESERVED_INSTANCES = Query("ec2", "describe_reserved_instances", "ReservedInstances", id_filter="reserved-instances-id")
SCHEDULED_INSTANCES = Query(
    "ec2", "describe_scheduled_instances", "ScheduledInstanceSet", page_size=300, id_param="ScheduledInstanceIds"
)


def instance_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Instances of every reservation (DescribeInstances, MaxResults 1000). Terminated ones are included."""
    return INSTANCES.pages(account=account, region=region, ids=ids)


def instance_type_pages(*, account: AccountRef, region: str) -> Iterator[Page]:
    """The instance-type catalog offered in the region (DescribeInstanceTypes, 100 per page)."""
    return INSTANCE_TYPES.pages(account=account, region=region)


placement_group_pages = PLACEMENT_GROUPS.pages
key_pair_pages = KEY_PAIRS.pages
address_pages = ADDRESSES.pages
image_pages = IMAGES.pages
security_group_pages = SECURITY_GROUPS.pages
network_interface_pages = NETWORK_INTERFACES.pages
volume_pages = VOLUMES.pages
reserved_instance_pages = RESERVED_INSTANCES.pages
scheduled_instance_pages = SCHEDULED_INSTANCES.pages


def spot_price_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """The spot price in effect now for each type, AZ and product (DescribeSpotPriceHistory with StartTime =
    EndTime = now: AWS then answers the price as of that moment, newest first, rather than 90 days of history)."""
    if ids is not None:
        raise ValueError("describe_spot_price_history cannot be asked for some ids only.")
    now = datetime.now(UTC)
    client = client_get("ec2", account=account, region=region)
    params = {"StartTime": now, "EndTime": now, "ProductDescriptions": ["Linux/UNIX", "Windows"]}
    yield from paginate(
        client, "describe_spot_price_history", "SpotPriceHistory", PaginationConfig={"PageSize": 1000}, **params
    )
