"""The overview's cost panel, read from the CostRollup table only (a few hundred rows, whatever the fleet's size):
the compute run-rate by account, region, family and purchase option, what spot saves against on-demand for the same
instances, and what stopped instances still cost through their EBS volumes. fleetui.ec2.cost_store rebuilds the
rollup whenever a scope's costs are recomputed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Max, Sum

from fleetui.inventory.models import Account

from .costs import HOURS_PER_MONTH
from .models import CostRollup

CENTS = Decimal("0.01")


def monthly(usd_per_hour: Decimal) -> Decimal:
    return (usd_per_hour * HOURS_PER_MONTH).quantize(CENTS)


@dataclass
class CostLine:
    """One bar of a breakdown: what `label` runs at; `query` narrows the instance list to it."""

    label: str
    query: str
    usd_per_hour: Decimal = Decimal(0)
    running: int = 0
    unknown: int = 0
    percent: float = 0.0

    @property
    def usd_per_month(self) -> Decimal:
        return monthly(self.usd_per_hour)


@dataclass
class CostOverview:
    usd_per_hour: Decimal = Decimal(0)
    running: int = 0
    unknown: int = 0  # running instances whose price is unknown: not in the sums
    by_account: list[CostLine] = field(default_factory=list)
    by_region: list[CostLine] = field(default_factory=list)
    by_family: list[CostLine] = field(default_factory=list)
    by_purchase_option: list[CostLine] = field(default_factory=list)
    spot_usd_per_hour: Decimal = Decimal(0)
    spot_on_demand_usd_per_hour: Decimal = Decimal(0)
    stopped: int = 0
    stopped_ebs_per_month: Decimal = Decimal(0)
    stopped_ebs_unknown: int = 0
    computed_at: datetime | None = None

    @property
    def usd_per_month(self) -> Decimal:
        return monthly(self.usd_per_hour)

    @property
    def spot_savings_per_hour(self) -> Decimal:
        return self.spot_on_demand_usd_per_hour - self.spot_usd_per_hour

    @property
    def spot_savings_per_month(self) -> Decimal:
        return monthly(self.spot_savings_per_hour)

    @property
    def spot_savings_percent(self) -> float | None:
        od = self.spot_on_demand_usd_per_hour
        return round(float(100 * self.spot_savings_per_hour / od), 1) if od else None


# A purchase option's instances on the list (running ones: the run-rate is theirs).
PURCHASE_QUERIES = {
    "spot": "lifecycle=spot",
    "reserved": "coverage=covered",
    "on-demand": "coverage=uncovered",
    "dedicated host": "tenancy=host",
}


def _lines(rows: list[dict], key: str, param: str, labels: dict[str, str] | None = None) -> list[CostLine]:
    found: dict[str, CostLine] = {}
    for row in rows:
        value = str(row[key])
        if value not in found:
            query = PURCHASE_QUERIES.get(value, f"lifecycle={value}") if param == "purchase" else f"{param}={value}"
            found[value] = CostLine((labels or {}).get(value, value) or "(none)", f"state=running&{query}")
        line = found[value]
        line.usd_per_hour += row["usd_per_hour"]
        line.running += row["running"]
        line.unknown += row["unknown"]
    ordered = sorted(found.values(), key=lambda line: (-line.usd_per_hour, line.label))
    top = max((line.usd_per_hour for line in ordered), default=Decimal(0))
    for line in ordered:
        line.percent = round(float(100 * line.usd_per_hour / top), 1) if top else 0.0
    return [line for line in ordered if line.running]


def cost_overview() -> CostOverview:
    """The cost panel's figures; three queries over the rollup."""
    columns = ("account__account_id", "region", "family", "purchase_option")
    rows = list(
        CostRollup.objects.values(*columns).annotate(
            usd_per_hour=Sum("usd_per_hour"), running=Sum("running"), unknown=Sum("unknown")
        )
    )
    totals = CostRollup.objects.aggregate(
        spot=Sum("spot_usd_per_hour"),
        spot_od=Sum("spot_on_demand_usd_per_hour"),
        stopped=Sum("stopped"),
        ebs=Sum("stopped_ebs_usd_per_month"),
        ebs_unknown=Sum("stopped_ebs_unknown"),
        computed_at=Max("computed_at"),
    )
    names = dict(Account.objects.values_list("account_id", "name"))
    return CostOverview(
        usd_per_hour=sum((row["usd_per_hour"] for row in rows), Decimal(0)),
        running=sum(row["running"] for row in rows),
        unknown=sum(row["unknown"] for row in rows),
        by_account=_lines(rows, "account__account_id", "account", names),
        by_region=_lines(rows, "region", "region"),
        by_family=_lines(rows, "family", "family"),
        by_purchase_option=_lines(rows, "purchase_option", "purchase"),
        spot_usd_per_hour=totals["spot"] or Decimal(0),
        spot_on_demand_usd_per_hour=totals["spot_od"] or Decimal(0),
        stopped=totals["stopped"] or 0,
        stopped_ebs_per_month=(totals["ebs"] or Decimal(0)).quantize(CENTS),
        stopped_ebs_unknown=totals["ebs_unknown"] or 0,
        computed_at=totals["computed_at"],
    )
