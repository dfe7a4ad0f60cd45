"""Reserved Instances for moto, which lacks DescribeReservedInstances and PurchaseReservedInstancesOffering and
offers only a toy set of offerings (three types, random prices, no Scope or RecurringCharges); see DOMAIN.md.

Follows the EC2 API reference's shapes:
- DescribeReservedInstancesOfferings: offerings for the asked type (or the demo's families), regional and per
  AZ, standard and convertible, No/Partial/All Upfront, 1 and 3 years, Linux/UNIX and Windows, default and
  dedicated tenancy, priced by prices.py; request parameters and filters narrow them; MaxResults/NextToken page.
- PurchaseReservedInstancesOffering: an active reservation starting now (`ReservedInstancesId`).
- DescribeReservedInstances: the purchases, by ReservedInstancesIds, OfferingClass, OfferingType and filters
  (reserved-instances-id, instance-type, availability-zone, scope, state, product-description); a reservation
  whose term has ended reports `retired`.
- DescribeScheduledInstances: none exist in the sandbox (AWS no longer sells them); an empty set.

Ids are uuid5 of what defines them, never moto's RNG, so seeding reservations leaves the demo's other ids alone.
Error codes: InvalidParameterValue, InvalidReservedInstancesOfferingId, InvalidReservedInstancesId.NotFound.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError

from .prices import on_demand_hourly, reserved_prices
from .seed_scope import FAMILIES

NAMESPACE = uuid.UUID("6b1d5b0e-1c4f-4f57-9b0e-5f3c9a4e2d10")
CLASSES = ("standard", "convertible")
OFFERING_TYPES = ("No Upfront", "Partial Upfront", "All Upfront")
PRODUCTS = ("Linux/UNIX", "Windows")
TENANCIES = ("default", "dedicated")
YEARS = (1, 3)
# Offerings are remembered by id so a purchase finds what a describe offered (as AWS's ids name offerings).
_OFFERINGS: dict[str, dict[str, Any]] = {}


def reservations_of(backend: Any) -> list[dict[str, Any]]:
    """The purchased reservations of one moto EC2 backend (cleared with it on /moto-api/reset)."""
    return backend.__dict__.setdefault("_fleetui_reserved_instances", [])


def _offering(region: str, kind: str, zone: str | None, product: str, tenancy: str, cls: str, otype: str, years: int):
    fixed, hourly = reserved_prices(on_demand_hourly(kind, region, tenancy, product), cls, years, otype)
    key = "|".join((region, kind, zone or "", product, tenancy, cls, otype, str(years)))
    offering_id = str(uuid.uuid5(NAMESPACE, key))
    offering: dict[str, Any] = {
        "ReservedInstancesOfferingId": offering_id,
        "InstanceType": kind,
        "AvailabilityZone": zone,
        "Duration": years * 31536000,
        "FixedPrice": fixed,
        "UsagePrice": 0.0,
        "ProductDescription": product,
        "CurrencyCode": "USD",
        "InstanceTenancy": tenancy,
        "Marketplace": False,
        "OfferingClass": cls,
        "OfferingType": otype,
        "PricingDetails": [],
        "RecurringCharges": [{"Amount": hourly, "Frequency": "Hourly"}] if hourly else [],
        "Scope": "Availability Zone" if zone else "Region",
    }
    _OFFERINGS[offering_id] = {**offering, "_region": region}
    return {k: v for k, v in offering.items() if v is not None}


def _matches(item: dict[str, Any], filters: dict[str, list[str]], names: dict[str, str]) -> bool:
    for name, values in filters.items():
        field = names.get(name)
        if field is not None and str(item.get(field)) not in values:
            return False
    return True


OFFERING_FILTERS = {
    "availability-zone": "AvailabilityZone",
    "instance-type": "InstanceType",
    "product-description": "ProductDescription",
    "offering-type": "OfferingType",
    "scope": "Scope",
    "duration": "Duration",
    "reserved-instances-offering-id": "ReservedInstancesOfferingId",
}
RESERVED_FILTERS = {
    "availability-zone": "AvailabilityZone",
    "instance-type": "InstanceType",
    "product-description": "ProductDescription",
    "reserved-instances-id": "ReservedInstancesId",
    "scope": "Scope",
    "state": "State",
    "duration": "Duration",
}


class ReservationResponses:
    """Methods attached to moto's EC2Response by `extensions.install()`; `self` is an EC2Response."""

    def describe_reserved_instances_offerings(self: Any) -> ActionResult:
        self.error_on_dryrun()
        region = self.region
        zones = [zone.name for zone in self.ec2_backend.describe_availability_zones()]
        kind = self._get_param("InstanceType")
        kinds = [kind] if kind else [size for _weight, sizes in FAMILIES.values() for size in sizes]
        zone = self._get_param("AvailabilityZone")
        if zone and zone not in zones:
            raise EC2ClientError("InvalidParameterValue", f"Invalid availability zone: [{zone}]")
        wanted = {
            "ProductDescription": self._get_param("ProductDescription"),
            "InstanceTenancy": self._get_param("InstanceTenancy"),
            "OfferingClass": self._get_param("OfferingClass"),
            "OfferingType": self._get_param("OfferingType"),
        }
        places: list[str | None] = [None, *zones] if not zone else [zone]
        found = []
        for args in itertools.product(kinds, places, PRODUCTS, TENANCIES, CLASSES, OFFERING_TYPES, YEARS):
            offering = _offering(region, *args)
            if all(value is None or offering.get(k) == value for k, value in wanted.items()):
                found.append(offering)
        found = [item for item in found if _matches(item, self._filters_from_querystring(), OFFERING_FILTERS)]
        size = min(max(self._get_int_param("MaxResults") or 100, 10), 100)
        start = int(self._get_param("NextToken") or 0)
        page: dict[str, Any] = {"ReservedInstancesOfferings": found[start : start + size]}
        if start + size < len(found):
            page["NextToken"] = str(start + size)
        return ActionResult(page)

    def purchase_reserved_instances_offering(self: Any) -> ActionResult:
        offering_id = self._get_param("ReservedInstancesOfferingId")
        count = self._get_int_param("InstanceCount")
        self.error_on_dryrun()
        offering = _OFFERINGS.get(offering_id or "")
        if offering is None or offering["_region"] != self.region:
            raise EC2ClientError("InvalidReservedInstancesOfferingId", f"Invalid offering id: {offering_id}")
        if not count or count < 1:
            raise EC2ClientError("InvalidParameterValue", "InstanceCount must be at least 1.")
        owned = reservations_of(self.ec2_backend)
        key = f"{self.current_account}|{self.region}|{offering_id}|{len(owned)}"
        start = datetime.now(UTC).replace(microsecond=0)
        reservation = {
            key: value for key, value in offering.items() if not key.startswith("_") and key != "Marketplace"
        }
        reservation.pop("ReservedInstancesOfferingId")
        reservation.pop("PricingDetails")
        reservation.update(
            ReservedInstancesId=str(uuid.uuid5(NAMESPACE, key)),
            InstanceCount=count,
            Start=start,
            End=start + timedelta(seconds=offering["Duration"]),
            State="active",
        )
        owned.append(reservation)
        return ActionResult({"ReservedInstancesId": reservation["ReservedInstancesId"]})

    def describe_reserved_instances(self: Any) -> ActionResult:
        self.error_on_dryrun()
        ids = self._get_param("ReservedInstancesIds", [])
        owned = reservations_of(self.ec2_backend)
        known = {item["ReservedInstancesId"] for item in owned}
        missing = [rid for rid in ids if rid not in known]
        if missing:
            raise EC2ClientError("InvalidReservedInstancesId.NotFound", f"Reservation {missing[0]} not found")
        now = datetime.now(UTC)
        items = []
        for item in owned:
            shown = {**item, "State": "retired" if item["End"] <= now else item["State"]}
            if ids and shown["ReservedInstancesId"] not in ids:
                continue
            if any(
                self._get_param(name) and shown.get(name) != self._get_param(name)
                for name in ("OfferingClass", "OfferingType")
            ):
                continue
            if _matches(shown, self._filters_from_querystring(), RESERVED_FILTERS):
                items.append(shown)
        return ActionResult({"ReservedInstances": items})

    def describe_scheduled_instances(self: Any) -> ActionResult:
        self.error_on_dryrun()
        return ActionResult({"ScheduledInstanceSet": []})


def reservation_backdate(backend: Any, reservation_id: str, start: datetime) -> None:
    """Move a reservation's term to begin at `start` (the demo's one that expires soon); ValueError if unknown."""
    for item in reservations_of(backend):
        if item["ReservedInstancesId"] == reservation_id:
            item["Start"] = start.astimezone(UTC)
            item["End"] = item["Start"] + timedelta(seconds=item["Duration"])
            return
    raise ValueError(f"No reservation {reservation_id}.")
