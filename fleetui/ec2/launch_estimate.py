"""What a launch will cost: on-demand against spot, per hour and per month (730 h), for `count` instances of a type
on the chosen AMI's platform and tenancy, in an account and region.

The platform is the AMI's PlatformDetails as the inventory has it: its Image row, else an instance launched from it
(an instance bills as its AMI: Amazon's public AMIs are not synced, but the fleet's instances say how they bill).
Before an AMI is chosen the estimate is for Linux/UNIX; an AMI the inventory does not know has no estimate.

The on-demand price is the synced list price (ListPrice) or, for a combination the fleet does not run yet, asked of
the Price List at once (a person is waiting: the quick call profile); spot is the synced spot price of the type and
platform in each AZ (the cheapest and the dearest). A price that cannot be had is None: "unknown", never $0."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Min

from fleetui.aws import AwsError, calls_profile
from fleetui.aws.pricing import list_price_pages
from fleetui.inventory.models import Account
from fleetui.inventory.sync import account_ref

from .costs import HOURS_PER_MONTH
from .models import Image, Instance, ListPrice, SpotPrice
from .transforms import list_price_fields

LINUX = "Linux/UNIX"
TYPE_NAME = re.compile(r"[a-z][a-z0-9-]*\.[a-z0-9]+")


@dataclass
class LaunchEstimate:
    instance_type: str
    count: int
    tenancy: str
    platform: str = LINUX  # the AMI's PlatformDetails; "" when the AMI is not known
    on_demand: Decimal | None = None  # USD per hour for all `count`
    spot_low: Decimal | None = None
    spot_high: Decimal | None = None
    note: str = ""  # why a price is unknown

    @staticmethod
    def month(value: Decimal | None) -> Decimal | None:
        return None if value is None else (value * HOURS_PER_MONTH).quantize(Decimal("0.01"))

    @property
    def on_demand_month(self) -> Decimal | None:
        return self.month(self.on_demand)

    @property
    def spot_low_month(self) -> Decimal | None:
        return self.month(self.spot_low)

    @property
    def spot_high_month(self) -> Decimal | None:
        return self.month(self.spot_high)

    @property
    def spot_saving_percent(self) -> int | None:
        if not self.on_demand or self.spot_low is None:
            return None
        return round(100 * (1 - self.spot_low / self.on_demand))


def image_platform(account: Account, region: str, image_id: str) -> str | None:
    """The AMI's PlatformDetails as the inventory knows it (see the module docstring); Linux/UNIX before an AMI is
    chosen, None for an AMI the inventory does not know."""
    if not image_id:
        return LINUX
    for model in (Image, Instance):
        rows = model.objects.filter(account=account, region=region, image_id=image_id, gone_at__isnull=True)
        platform = rows.values_list("platform", flat=True).first()
        if platform is not None:
            return platform or LINUX
    return None


def on_demand_hourly(
    account: Account, region: str, instance_type: str, platform: str, tenancy: str
) -> tuple[Decimal | None, str]:
    """(USD per hour of one instance, why unknown): the synced list price, else a live Price List read."""
    stored = ListPrice.objects.filter(
        account=account, region=region, kind="instance", subject=instance_type, platform=platform, tenancy=tenancy
    ).first()
    if stored is not None and stored.usd is not None:
        return stored.usd, ""
    try:
        with calls_profile("quick"):
            pages = list_price_pages(
                account=account_ref(account), region=region, instances=[(instance_type, platform, tenancy)]
            )
            items = [item for page in pages for item in page]
    except AwsError as error:
        return None, str(error)
    return list_price_fields(items[0])["usd"] if items else None, ""


def launch_estimate(
    *, account: Account, region: str, instance_type: str, count: int, tenancy: str, image_id: str = ""
) -> LaunchEstimate:
    """The estimate for `count` x `instance_type` from the AMI `image_id` in the scope; see the module docstring."""
    estimate = LaunchEstimate(instance_type, count, tenancy)
    if tenancy == "host":
        estimate.note = "On a dedicated host the host is billed, not the instances."
        return estimate
    platform = image_platform(account, region, image_id)
    if platform is None:
        estimate.platform = ""
        estimate.note = f"{image_id} is not in the inventory, so its platform (and price) is unknown: sync its AMIs."
        return estimate
    estimate.platform = platform
    price, why = on_demand_hourly(account, region, instance_type, platform, tenancy)
    estimate.on_demand = None if price is None else price * count
    estimate.note = why
    spot = SpotPrice.objects.filter(
        account=account, region=region, gone_at__isnull=True, instance_type=instance_type, product_description=platform
    ).aggregate(low=Min("usd_per_hour"), high=Max("usd_per_hour"))
    if tenancy == "default" and spot["low"] is not None:
        estimate.spot_low, estimate.spot_high = spot["low"] * count, spot["high"] * count
    return estimate


def launch_estimate_notice(params: Any) -> dict[str, Any]:
    """{"template", "estimate"} for the launch form, from its fields (the kind's own, `p-` prefixed as the page form
    sends them, or not): None as the estimate until the scope and a type are chosen; a count outside 1..100 counts
    as 1."""
    params = {key.removeprefix("p-"): params[key] for key in params}
    account = Account.objects.filter(account_id=params.get("account") or "", enabled=True).first()
    kind = params.get("instance_type") or ""
    notice: dict[str, Any] = {"template": "ec2/_launch_estimate.html", "estimate": None}
    if account is None or not params.get("region") or not TYPE_NAME.fullmatch(kind):
        return notice
    try:
        count = int(params.get("count") or 1)
    except ValueError:
        count = 1
    tenancy = params.get("tenancy") if params.get("tenancy") in ("default", "dedicated", "host") else "default"
    notice["estimate"] = launch_estimate(
        account=account,
        region=params["region"],
        instance_type=kind,
        count=count if 1 <= count <= 100 else 1,
        tenancy=tenancy,
        image_id=params.get("image_id") or "",
    )
    return notice
