"""Cost arithmetic shared by the stored costs (fleetui.ec2.cost_store states the rules and applies them in SQL), the
reservation transform, the overview and the launch estimate. A price that is not known is None ("unknown" on the
page), never 0.
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
