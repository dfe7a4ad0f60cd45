"""DescribeSpotPriceHistory for the sandbox: moto answers every type with the toy price 0.00001 at a fixed 2006
timestamp. Here a spot price is 25-45% of the type's on-demand price (prices.py), differs by AZ and product, and
changes every hour (deterministically: a CRC of type, AZ, product and hour, never an RNG). Without a type asked
for, it answers for the demo's families (seed_scope.FAMILIES), not moto's whole catalog.

Follows the API reference: InstanceTypes, ProductDescriptions, AvailabilityZone, StartTime/EndTime (the price in
effect at StartTime, then each hourly change up to EndTime; both default to now), the instance-type,
availability-zone and product-description filters, MaxResults (default 1000) and NextToken; newest first.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError

from .prices import on_demand_hourly
from .seed_scope import FAMILIES

PRODUCTS = ("Linux/UNIX", "Windows")
MAX_POINTS = 24 * 90  # at most 90 days of hourly changes per type, AZ and product


def spot_price(instance_type: str, zone: str, product: str, hour: datetime) -> float:
    """The sandbox's spot price in effect during `hour` (an aware datetime on the hour)."""
    key = f"{instance_type}|{zone}|{product}|{hour:%Y%m%d%H}".encode()
    share = 0.25 + (zlib.crc32(key) % 2001) / 10000  # 0.25 .. 0.45 of on-demand
    return round(on_demand_hourly(instance_type, zone[:-1], "default", product) * share, 6)


def _when(value: Any, default: datetime) -> datetime:
    if not value:
        return default
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def describe_spot_price_history(self: Any) -> ActionResult:
    """Replaces moto's SpotInstances.describe_spot_price_history; `self` is an EC2Response."""
    self.error_on_dryrun()
    filters = self._filters_from_querystring()
    wanted_zone = self._get_param("AvailabilityZone")
    every_zone = [zone.name for zone in self.ec2_backend.describe_availability_zones()]
    zones = [z for z in every_zone if z in filters.get("availability-zone", every_zone) and wanted_zone in (None, z)]
    types = (
        self._get_param("InstanceTypes", [])
        or filters.get("instance-type")
        or [size for _weight, sizes in FAMILIES.values() for size in sizes]
    )
    products = self._get_param("ProductDescriptions", []) or filters.get("product-description") or list(PRODUCTS)
    now = datetime.now(UTC)
    end = _when(self._get_param("EndTime"), now)
    start = _when(self._get_param("StartTime"), end)
    if start > end:
        raise EC2ClientError("InvalidParameterValue", "The start time must be before the end time.")
    first = max(start.replace(minute=0, second=0, microsecond=0), end - timedelta(hours=MAX_POINTS))
    hours = []
    hour = end.replace(minute=0, second=0, microsecond=0)
    while hour >= first:
        hours.append(hour)
        hour -= timedelta(hours=1)
    items = [
        {
            "AvailabilityZone": zone,
            "InstanceType": kind,
            "ProductDescription": product,
            "SpotPrice": f"{spot_price(kind, zone, product, at):.6f}",
            "Timestamp": at,
        }
        for at in hours
        for kind in sorted(set(types))
        for zone in zones
        for product in products
    ]
    size = min(max(self._get_int_param("MaxResults") or 1000, 5), 1000)
    offset = int(self._get_param("NextToken") or 0)
    answer: dict[str, Any] = {"SpotPriceHistory": items[offset : offset + size]}
    answer["NextToken"] = str(offset + size) if offset + size < len(items) else ""
    return ActionResult(answer)
