"""Plausible EC2 prices for the sandbox: deterministic, differing by family, size, region, tenancy and platform.

Real list prices scale with the normalization factor within a family (m5.large $0.096/h, m5.xlarge $0.192/h),
cost more outside us-east-1, about 10% more on dedicated tenancy, and more for Windows. The reservation
offerings derive from the on-demand price with AWS's usual discounts. No RNG: the demo's ids stay put.
"""

from __future__ import annotations

import re

# US dollars per normalized unit-hour in us-east-1 (from the real m5.large 0.096 = 4 units x 0.024, ...).
UNIT_RATES = {
    "t3": 0.0104,
    "t2": 0.0116,
    "m5": 0.024,
    "m4": 0.025,
    "c5": 0.02125,
    "c4": 0.02488,
    "r5": 0.0315,
    "r4": 0.03325,
    "i3": 0.039,
    "d2": 0.08625,
    "h1": 0.0293,
    "g4dn": 0.06575,
    "g3": 0.0713,
    "p3": 0.19125,
    "p2": 0.1125,
    "x1": 0.0521,
    "a1": 0.0255,
}
CATEGORY_RATES = {"t": 0.0104, "m": 0.024, "c": 0.0213, "r": 0.0315, "x": 0.052, "i": 0.039, "d": 0.086}
DEFAULT_RATE = 0.03
REGION_FACTORS = {"us-east-1": 1.0, "us-east-2": 1.0, "us-west-2": 1.0, "us-west-1": 1.17, "eu-west-1": 1.11}
TENANCY_FACTORS = {"default": 1.0, "shared": 1.0, "dedicated": 1.1, "host": 1.1}
WINDOWS_PER_UNIT = 0.0115
SIZES = {"nano": 0.25, "micro": 0.5, "small": 1, "medium": 2, "large": 4, "xlarge": 8, "metal": 192}
# Share of the on-demand rate a reservation costs in all: (class, years) -> {offering type: share}.
RESERVED_SHARE = {
    ("standard", 1): {"No Upfront": 0.64, "Partial Upfront": 0.61, "All Upfront": 0.60},
    ("standard", 3): {"No Upfront": 0.45, "Partial Upfront": 0.42, "All Upfront": 0.40},
    ("convertible", 1): {"No Upfront": 0.73, "Partial Upfront": 0.70, "All Upfront": 0.69},
    ("convertible", 3): {"No Upfront": 0.55, "Partial Upfront": 0.52, "All Upfront": 0.50},
}


def _units(instance_type: str) -> float:
    size = instance_type.partition(".")[2]
    match = re.match(r"^(\d+)xlarge$", size)
    return 8.0 * int(match.group(1)) if match else float(SIZES.get(size, 4))


def _region_factor(region: str) -> float:
    if region in REGION_FACTORS:
        return REGION_FACTORS[region]
    return 1.2 if region.startswith(("ap-", "sa-")) else 1.12


def on_demand_hourly(instance_type: str, region: str, tenancy: str = "default", platform: str = "Linux/UNIX") -> float:
    """The sandbox's on-demand USD per hour."""
    family = instance_type.partition(".")[0]
    rate = UNIT_RATES.get(family) or CATEGORY_RATES.get(family[:1], DEFAULT_RATE)
    units = _units(instance_type)
    price = units * rate * _region_factor(region) * TENANCY_FACTORS.get(tenancy.lower(), 1.0)
    if platform.lower().startswith("windows"):
        price += units * WINDOWS_PER_UNIT
    return round(price, 4)


def reserved_prices(on_demand: float, offering_class: str, years: int, offering_type: str) -> tuple[float, float]:
    """(fixed upfront USD, recurring USD per hour) of a reservation of one instance."""
    total = on_demand * RESERVED_SHARE[(offering_class, years)][offering_type] * years * 8760
    if offering_type == "All Upfront":
        return round(total, 2), 0.0
    if offering_type == "Partial Upfront":
        return round(total / 2, 2), round(total / 2 / (years * 8760), 4)
    return 0.0, round(total / (years * 8760), 4)
