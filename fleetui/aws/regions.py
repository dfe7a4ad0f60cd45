"""Which regions fleetui reads for an account."""

from __future__ import annotations

from collections.abc import Sequence

from .clients import AMBIENT, AccountRef, client_get
from .errors import aws_errors

# Regions that need an opt-in answer AuthFailure/OptInRequired until the account opts in, so skip them.
ENABLED_OPT_IN_STATUSES = ["opt-in-not-required", "opted-in"]
# The IAM action discovery needs (fleetui.inventory.iam grants it).
DISCOVERY_IAM_ACTION = "ec2:DescribeRegions"


def regions_list(*, account: AccountRef = AMBIENT, configured: Sequence[str] = ()) -> list[str]:
    """The configured regions (FLEETUI_REGIONS, passed by the caller) if any, else the account's enabled ones.

    Discovery calls ec2:DescribeRegions with the opt-in filter; errors come out as fleetui.aws domain
    errors (AwsAccessDenied for AuthFailure/UnauthorizedOperation, AwsUnavailable, ...).
    """
    if configured:
        return list(dict.fromkeys(configured))
    client = client_get("ec2", account=account)
    with aws_errors("DescribeRegions"):
        answer = client.describe_regions(Filters=[{"Name": "opt-in-status", "Values": ENABLED_OPT_IN_STATUSES}])
    return sorted(region["RegionName"] for region in answer["Regions"])
