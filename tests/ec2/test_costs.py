"""Cost per instance: hand-checked rates, and "unknown" (None), never 0, when a price is missing."""

from datetime import UTC, datetime
from decimal import Decimal

from fleetui.ec2.costs import Rate, ReservedShare, instance_rate, reservation_hourly

WHEN = datetime(2026, 11, 30, tzinfo=UTC)
ON_DEMAND = Rate(Decimal("0.192"), "list price", WHEN)  # m5.xlarge


def rate(**overrides):
    params = {
        "state": "running", "lifecycle": "on-demand", "tenancy": "default", "instance_type": "m5.xlarge",
        "reserved": [], "spot": None, "on_demand": ON_DEMAND,
    }  # fmt: skip
    return instance_rate(**{**params, **overrides})


def m5_large_ri(units: float) -> ReservedShare:
    # All Upfront, $876 for a year: 876 / 8760 h = $0.10/h for one m5.large, $0.025 per normalized unit.
    return ReservedShare("m5.large", Decimal(876), Decimal(0), 31536000, units)


def test_reservation_effective_rate_amortises_the_upfront():
    assert reservation_hourly(fixed_price=Decimal(876), hourly_charge=Decimal(0), duration_seconds=31536000) == Decimal(
        "0.1"
    )
    # Partial: $438 upfront over 3 years (26,280 h) + $0.02/h = 0.016666... + 0.02.
    partial = reservation_hourly(fixed_price=Decimal(438), hourly_charge=Decimal("0.02"), duration_seconds=3 * 31536000)
    assert round(partial, 6) == Decimal("0.036667")


def test_on_demand_reserved_and_mixed():
    assert rate().usd_per_hour == Decimal("0.192") and rate().usd_per_month == Decimal("140.1600")
    # Half covered by one m5.large (4 of 8 units): 4 x 0.025 + 0.5 x 0.192 = 0.1 + 0.096.
    half = rate(reserved=[m5_large_ri(4)])
    assert half.usd_per_hour == Decimal("0.196") and half.source.startswith("reserved (50%) + on-demand")
    full = rate(reserved=[m5_large_ri(4), m5_large_ri(4)], on_demand=None)
    assert full.usd_per_hour == Decimal("0.2") and "Reserved" in full.source


def test_spot_stopped_and_hosts():
    spot = Rate(Decimal("0.0612"), "spot price", WHEN)
    assert rate(lifecycle="spot", spot=spot) == spot
    assert rate(state="stopped").usd_per_hour == Decimal(0)


def test_a_missing_price_is_unknown_never_zero():
    assert rate(on_demand=None).usd_per_hour is None
    assert rate(on_demand=None).usd_per_month is None
    assert rate(reserved=[m5_large_ri(4)], on_demand=None).usd_per_hour is None  # half is still on-demand
    assert rate(lifecycle="spot", spot=None).usd_per_hour is None
    assert rate(tenancy="host").usd_per_hour is None and "per dedicated host" in rate(tenancy="host").source
