"""Each instance's cost per hour now, stored on its row, and the scope's run-rate rollup: recomputed in set-based
SQL after every sync that changes an input (instances, volumes, spot prices, list prices, reservations).

The rules (fleetui.ec2.costs states them for one instance; here they run as a few UPDATEs per scope):
- an instance that is not running costs 0 for compute ("not running"); its EBS volumes still cost;
- a running spot instance pays the spot price of its type, AZ and platform;
- a running instance on a dedicated host pays its share of the host: the family's host price / the host's
  running instances;
- a running on-demand instance pays, for the share reservations cover, their effective rate per normalized unit
  (ReservedInstance.usd_per_unit_hour, the upfront amortised over the term plus the hourly charge), and the
  on-demand list price of its type, platform and tenancy for the rest;
- a price that is missing leaves the cost NULL and the source "unknown", never 0.

`cost_as_of` is when the price used was read from AWS (the price row's last sync), or the recompute for a stopped
or fully reserved instance. The rollup (CostRollup) is what the overview reads: per (account, region, family,
purchase option) the running count, the run-rate, the unknowns, spot's on-demand equivalent and the stopped
instances' EBS cost.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    DecimalField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils import timezone

from fleetui.inventory.models import Account

from .models import CostRollup, Instance, ListPrice, ReservationUse, SpotPrice, Volume

MONEY = DecimalField(max_digits=18, decimal_places=8)
FULL = 0.999999  # a share of the instance's units that counts as wholly covered (float sums of parts)


def _prices(account: Account, region: str, kind: str) -> QuerySet[ListPrice]:
    return ListPrice.objects.filter(account=account, region=region, kind=kind, gone_at__isnull=True)


def on_demand_price(account: Account, region: str) -> QuerySet[ListPrice]:
    """The list price row of the outer instance's type, platform and tenancy (for a Subquery)."""
    return _prices(account, region, "instance").filter(
        subject=OuterRef("instance_type_id"), platform=OuterRef("platform"), tenancy=OuterRef("tenancy")
    )


def cost_store(*, account: Account, region: str) -> int:
    """Recompute the scope's instance costs and its rollup; returns the number of live instances priced."""
    now = timezone.now()
    live = Instance.objects.filter(account=account, region=region, gone_at__isnull=True)
    running = live.filter(state="running")
    with transaction.atomic():
        live.exclude(state="running").update(cost_per_hour=Decimal(0), cost_source="stopped", cost_as_of=now)
        _store_spot(account, region, running.filter(lifecycle="spot"))
        _store_host(account, region, running.exclude(lifecycle="spot").filter(tenancy="host"))
        _store_on_demand(account, region, running.exclude(lifecycle="spot").exclude(tenancy="host"), now)
        running.filter(cost_per_hour__isnull=True).update(cost_source="unknown", cost_as_of=None)
        rollup_store(account=account, region=region, now=now)
    return running.filter(cost_per_hour__isnull=False).count()


def _store_spot(account: Account, region: str, rows: QuerySet[Instance]) -> None:
    spot = SpotPrice.objects.filter(
        account=account,
        region=region,
        gone_at__isnull=True,
        instance_type=OuterRef("instance_type_id"),
        availability_zone=OuterRef("availability_zone"),
        product_description=OuterRef("platform"),
    ).order_by("-timestamp")
    rows.update(
        cost_per_hour=Subquery(spot.values("usd_per_hour")[:1]),
        cost_as_of=Subquery(spot.values("last_seen")[:1]),
        cost_source="spot",
    )


def _store_host(account: Account, region: str, rows: QuerySet[Instance]) -> None:
    host = _prices(account, region, "host").filter(subject=OuterRef("family"))
    sharing = (
        Instance.objects.filter(
            account=account, region=region, gone_at__isnull=True, state="running", host_id=OuterRef("host_id")
        )
        .values("host_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    share = ExpressionWrapper(Subquery(host.values("usd")[:1]) / Subquery(sharing), output_field=MONEY)
    rows.exclude(host_id="").update(
        cost_per_hour=share, cost_as_of=Subquery(host.values("last_seen")[:1]), cost_source="host"
    )
    rows.filter(host_id="").update(cost_per_hour=None)


def _store_on_demand(account: Account, region: str, rows: QuerySet[Instance], now: datetime) -> None:
    uses = ReservationUse.objects.filter(instance=OuterRef("pk")).values("instance")
    reserved = uses.annotate(t=Sum(F("units") * F("reservation__usd_per_unit_hour"), output_field=MONEY)).values("t")
    covered = uses.annotate(s=Sum("share", output_field=FloatField())).values("s")
    price = on_demand_price(account, region)
    share = Coalesce(Subquery(covered), Value(0.0), output_field=FloatField())
    reserved_part = Coalesce(Subquery(reserved), Value(Decimal(0)), output_field=MONEY)
    rest = ExpressionWrapper(
        Subquery(price.values("usd")[:1]) * (Value(1.0) - share), output_field=MONEY
    )  # NULL when the list price is missing
    whole = GreaterThanOrEqual(share, Value(FULL))
    rows.update(
        cost_per_hour=Case(When(whole, then=reserved_part), default=reserved_part + rest, output_field=MONEY),
        cost_source=Case(
            When(whole, then=Value("reserved")),
            When(GreaterThan(share, Value(0.0)), then=Value("reserved_partial")),
            default=Value("on_demand"),
            output_field=CharField(),
        ),
        cost_as_of=Case(
            When(whole, then=Value(now, output_field=DateTimeField())),
            default=Subquery(price.values("last_seen")[:1]),
            output_field=DateTimeField(),
        ),
    )


# --- The rollup ------------------------------------------------------------------------------------------------

PURCHASE_OPTION = Case(
    When(lifecycle="spot", then=Value("spot")),
    When(tenancy="host", then=Value("dedicated host")),
    When(cost_source__in=("reserved", "reserved_partial"), then=Value("reserved")),
    default=F("lifecycle"),
    output_field=CharField(),
)


def rollup_store(*, account: Account, region: str, now: datetime | None = None) -> int:
    """Rebuild the scope's CostRollup rows from its instances' stored costs; returns how many rows it holds."""
    now = now or timezone.now()
    live = Instance.objects.filter(account=account, region=region, gone_at__isnull=True)
    is_running = Q(state="running")
    spot_known = Q(lifecycle="spot", state="running", cost_per_hour__isnull=False, od__isnull=False)
    groups = (
        live.annotate(option=PURCHASE_OPTION, od=Subquery(on_demand_price(account, region).values("usd")[:1]))
        .values("family", "option")
        .annotate(
            running=Count("pk", filter=is_running),
            unknown=Count("pk", filter=is_running & Q(cost_per_hour__isnull=True)),
            usd=Sum("cost_per_hour", filter=is_running),
            spot_usd=Sum("cost_per_hour", filter=spot_known),
            spot_od=Sum("od", filter=spot_known),
            stopped=Count("pk", filter=~is_running),
        )
        .order_by()
    )
    rows = {
        (g["family"], g["option"]): CostRollup(
            account=account,
            region=region,
            family=g["family"],
            purchase_option=g["option"],
            running=g["running"],
            unknown=g["unknown"],
            usd_per_hour=g["usd"] or 0,
            spot_usd_per_hour=g["spot_usd"] or 0,
            spot_on_demand_usd_per_hour=g["spot_od"] or 0,
            stopped=g["stopped"],
            computed_at=now,
        )
        for g in groups
    }
    for family, option, usd, unknown in _stopped_ebs(account, region):
        row = rows[(family, option)]
        row.stopped_ebs_usd_per_month, row.stopped_ebs_unknown = usd or 0, unknown
    CostRollup.objects.filter(account=account, region=region).delete()
    CostRollup.objects.bulk_create(rows.values())
    return len(rows)


def _stopped_ebs(account: Account, region: str) -> list[tuple[str, str, Decimal | None, int]]:
    """(family, purchase option, USD per month of the volumes, volumes without a price) of the scope's stopped
    instances: each volume's size x its type's GB-month list price in the region."""
    stopped = Instance.objects.filter(
        account=account, region=region, gone_at__isnull=True, instance_id=OuterRef("instance_id")
    ).exclude(state="running")
    storage = _prices(account, region, "storage").filter(subject=OuterRef("volume_type"))
    volumes = (
        Volume.objects.filter(account=account, region=region, gone_at__isnull=True)
        .exclude(instance_id="")
        .annotate(
            family=Subquery(stopped.values("family")[:1]),
            option=Subquery(stopped.annotate(option=PURCHASE_OPTION).values("option")[:1]),
            price=Subquery(storage.values("usd")[:1]),
        )
        .filter(family__isnull=False)
        .values("family", "option")
        .annotate(
            usd=Sum(ExpressionWrapper(F("size_gib") * F("price"), output_field=MONEY)),
            unknown=Count("pk", filter=Q(price__isnull=True)),
        )
        .order_by()
    )
    return [(v["family"], v["option"], v["usd"], v["unknown"]) for v in volumes]
