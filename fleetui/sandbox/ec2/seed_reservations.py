"""The demo's Reserved Instances, bought after the rest of EC2 is seeded (their ids are uuid5, never moto's RNG, and
they use no demo RNG, so every id seeded before or after them stays as it was).

In each (account, region), sized from the running on-demand Linux instances:
- m5 regional, half again as many units as run: over-covered (a third of the units unused);
- c5 regional, half the units that run: under-covered;
- one zonal r5 reservation for a running r5's exact type and AZ (in the first scope it expires in 20 days);
- a convertible t3 regional reservation, No Upfront, 3 years.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from .backdate import BACKDATE_PATH
from .seed_scope import Scope

SIZES = {"large": 4.0, "xlarge": 8.0, "medium": 2.0, "small": 1.0, "micro": 0.5, "nano": 0.25}
EXPIRING_IN_DAYS = 20


def _units(kind: str) -> float:
    size = kind.partition(".")[2]
    return 8.0 * int(size[:-6]) if size.endswith("xlarge") and size[:-6].isdigit() else SIZES.get(size, 4)


def _running_linux_on_demand(scope: Scope) -> list[dict[str, Any]]:
    """What RunInstances answered for the scope's instances that still run on demand, Linux, default tenancy (read
    from the seed's own record rather than DescribeInstances, which costs about a second per scope)."""
    gone = {*scope.stopped, *scope.terminated}
    found = []
    for instance_id, item in scope.launched.items():
        tenancy = (item.get("Placement") or {}).get("Tenancy") or "default"
        linux = item.get("Platform") != "windows"
        if instance_id not in gone and "InstanceLifecycle" not in item and tenancy == "default" and linux:
            found.append(item)
    return sorted(found, key=lambda item: item["InstanceId"])


def _buy(ec2: Any, kind: str, count: int, *, zone: str | None = None, cls: str = "standard", **extra: Any) -> str:
    params: dict[str, Any] = {
        "InstanceType": kind,
        "ProductDescription": "Linux/UNIX",
        "InstanceTenancy": "default",
        "OfferingClass": cls,
        "OfferingType": extra.get("offering_type", "Partial Upfront"),
        "Filters": [{"Name": "duration", "Values": [str(extra.get("years", 1) * 31536000)]}],
    }
    if zone:
        params["AvailabilityZone"] = zone
    else:
        params["Filters"].append({"Name": "scope", "Values": ["Region"]})
    offering = ec2.describe_reserved_instances_offerings(**params)["ReservedInstancesOfferings"][0]
    answer = ec2.purchase_reserved_instances_offering(
        ReservedInstancesOfferingId=offering["ReservedInstancesOfferingId"], InstanceCount=count
    )
    return answer["ReservedInstancesId"]


def scope_reservations_seed(ec2: Any, scope: Scope) -> tuple[list[str], str]:
    """Buy one scope's reservations; returns (their ids, the zonal r5's id or "")."""
    running = _running_linux_on_demand(scope)
    units: dict[str, float] = defaultdict(float)  # normalized units per family
    for item in running:
        units[item["InstanceType"].partition(".")[0]] += _units(item["InstanceType"])
    bought: list[str] = []
    if units["m5"]:
        bought.append(_buy(ec2, "m5.large", math.ceil(units["m5"] * 1.5 / 4)))
    if units["c5"]:
        bought.append(_buy(ec2, "c5.large", max(1, math.floor(units["c5"] * 0.5 / 4))))
    bought.append(_buy(ec2, "t3.medium", 2, cls="convertible", offering_type="No Upfront", years=3))
    r5 = next((item for item in running if item["InstanceType"].startswith("r5.")), None)
    zonal = ""
    if r5 is not None:
        zonal = _buy(ec2, r5["InstanceType"], 1, zone=r5["Placement"]["AvailabilityZone"], offering_type="All Upfront")
        bought.append(zonal)
    return bought, zonal


def expiring_soon(endpoint: str, account_id: str, region: str, reservation_id: str) -> None:
    """Move the reservation's 1-year term so that it ends EXPIRING_IN_DAYS from now."""
    start = datetime.now(UTC) - timedelta(days=365 - EXPIRING_IN_DAYS)
    moved = {reservation_id: start.isoformat()}
    payload: dict[str, Any] = {"account_id": account_id, "region": region, "reserved_instances": moved}
    requests.post(f"{endpoint}{BACKDATE_PATH}", json=payload, timeout=60).raise_for_status()
