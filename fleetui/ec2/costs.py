"""What an instance costs per hour now, and where that number came from. A price that is not known is None
("unknown" on the page), never 0.

- stopped and terminated instances run no compute: $0/hour (their EBS volumes are billed apart);
- a spot instance pays the spot price in effect for its type, AZ and platform (DescribeSpotPriceHistory);
- an instance on a dedicated host is not billed itself: the host is, per host;
- a running on-demand instance pays, for the share a reservation covers, the reservation's effective hourly rate
  (the upfront amortised over the term, plus the hourly charge), and the on-demand price for the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .coverage import units_of

HOURS_PER_MONTH = Decimal(730)  # AWS's own monthly figure: 365 x 24 / 12
CENT = Decimal("0.0001")


@dataclass(frozen=True)
class Rate:
    """USD per hour (None: unknown), what it is based on, and as of when."""

    usd_per_hour: Decimal | None
    source: str
    as_of: datetime | None = None

    @property
    def usd_per_month(self) -> Decimal | None:
        return None if self.usd_per_hour is None else (self.usd_per_hour * HOURS_PER_MONTH).quantize(CENT)


@dataclass(frozen=True)
class ReservedShare:
    """A reservation's part in an instance: its prices and the normalized units it pays for."""

    instance_type: str
    fixed_price: Decimal
    hourly_charge: Decimal
    duration_seconds: int
    units: float


def reservation_hourly(*, fixed_price: Decimal, hourly_charge: Decimal, duration_seconds: int) -> Decimal:
    """One reserved instance's effective hourly rate: the upfront spread over the term's hours, plus the hourly."""
    hours = Decimal(duration_seconds) / 3600 if duration_seconds else None
    upfront = fixed_price / hours if hours else Decimal(0)
    return upfront + hourly_charge


def hourly_charge(*, recurring_charges: Sequence[dict], usage_price: Decimal | None) -> Decimal:
    """The hourly part of a reservation's price: its hourly recurring charges plus its usage price."""
    charges = sum((Decimal(c["amount"] or 0) for c in recurring_charges if c["frequency"] == "Hourly"), Decimal(0))
    return charges + (usage_price or Decimal(0))


def unit_rate(
    *, instance_type: str, fixed_price: Decimal | None, hourly: Decimal, duration_seconds: int
) -> Decimal | None:
    """One normalized unit-hour of a reservation: its effective hourly rate over the type's normalization units
    (a size-flexible reservation pays for parts of larger or smaller instances at this rate per unit)."""
    rate = reservation_hourly(
        fixed_price=fixed_price or Decimal(0), hourly_charge=hourly, duration_seconds=duration_seconds
    )
    return (rate / Decimal(str(units_of(instance_type)))).quantize(Decimal("0.00000001"))


def instance_rate(
    *,
    state: str,
    lifecycle: str,
    tenancy: str,
    instance_type: str,
    reserved: Sequence[ReservedShare],
    spot: Rate | None,
    on_demand: Rate | None,
) -> Rate:
    """The instance's rate now, by the rules in the module docstring."""
    if state in ("stopped", "stopping", "terminated", "shutting-down"):
        return Rate(Decimal(0), f"{state}: no compute charge")
    if lifecycle == "spot":
        return spot if spot is not None else Rate(None, "no spot price synced for its type and AZ")
    if tenancy == "host":
        return Rate(None, "billed per dedicated host, not per instance")
    total = Decimal(0)
    covered = 0.0
    for share in reserved:
        per_unit = reservation_hourly(
            fixed_price=share.fixed_price, hourly_charge=share.hourly_charge, duration_seconds=share.duration_seconds
        ) / Decimal(str(units_of(share.instance_type)))
        total += per_unit * Decimal(str(share.units))
        covered += share.units
    rest = max(0.0, 1 - covered / units_of(instance_type))
    if rest > 1e-9:
        if on_demand is None or on_demand.usd_per_hour is None:
            return Rate(None, "no on-demand price for its type, region, platform and tenancy")
        total += on_demand.usd_per_hour * Decimal(str(rest))
        source = "on-demand" if not reserved else f"reserved ({round(100 * (1 - rest))}%) + on-demand"
        return Rate(total.quantize(Decimal("0.000001")), f"{source}: {on_demand.source}", on_demand.as_of)
    return Rate(total.quantize(Decimal("0.000001")), "Reserved Instance effective rate (upfront amortised)")
