"""Each instance's cost per hour now, stored on its row, and the scope's run-rate rollup: worked out in SQL after
every sync that changes an input (instances, volumes, spot prices, list prices, reservations).

The rules:
- an instance that is not running costs 0 for compute ("not running"); its EBS volumes still cost;
- a running spot instance pays the spot price of its type, AZ and platform;
- a running instance on a dedicated host pays its share of the host: the family's host price / the host's
  running instances;
- a running on-demand instance pays, for the share reservations cover, their effective rate per normalized unit
  (ReservedInstance.usd_per_unit_hour, the upfront amortised over the term plus the hourly charge), and the
  on-demand list price of its type, platform and tenancy for the rest;
- a price that is missing leaves the cost NULL and the source "unknown", never 0.

`cost_as_of` is when the price used was read from AWS (the price row's last sync); none for a stopped instance or
one wholly paid by reservations (their rate is the reservation's terms).

The rollups are what the overview reads, rebuilt together per scope in one transaction: CostRollup, per (account,
region, family, purchase option), the running count, the run-rate, the unknowns, spot's on-demand equivalent and the
stopped instances' EBS cost; FleetRollup, per combination of the fleet mix's dimensions, the live instances and their
findings. A scope's rebuilds are serialized across workers (fleetui.ec2.scope_lock), so two syncs ending at once (a
full sync and an action's targeted re-sync) leave the rows of the later one.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import connection, transaction
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
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils import timezone

from fleetui.inventory.models import Account

from .models import CostRollup, FleetRollup, Instance, ListPrice, ReservationUse, SpotPrice, Volume
from .scope_lock import scope_lock

MONEY = DecimalField(max_digits=18, decimal_places=8)
COST = DecimalField(max_digits=14, decimal_places=6)  # Instance.cost_per_hour's
WRITE_BATCH = 500  # bulk_update's CASE per batch grows with it: 500 keeps each statement cheap
STORED = ("cost_per_hour", "cost_source", "cost_as_of")
FINAL = ("final_cost", "final_source", "final_as_of")  # what _costs works out for each of STORED
STOPPED = ("stopping", "stopped")  # EBS-billed without compute (not pending, not terminated: its volumes go with it)
FULL = 0.999999  # a share of the instance's units that counts as wholly covered (float sums of parts)


def _prices(account: Account, region: str, kind: str) -> QuerySet[ListPrice]:
    return ListPrice.objects.filter(account=account, region=region, kind=kind, gone_at__isnull=True)


def on_demand_price(account: Account, region: str) -> QuerySet[ListPrice]:
    """The list price row of the outer instance's type, platform and tenancy (for a Subquery)."""
    # By price_key ("instance|type|platform|tenancy"): one probe of the (account, region, price_key) unique index.
    key = Concat(
        Value("instance|"),
        OuterRef("instance_type_id"),
        Value("|"),
        OuterRef("platform"),
        Value("|"),
        OuterRef("tenancy"),
        output_field=CharField(),
    )
    return _prices(account, region, "instance").filter(price_key=key)


def cost_store(*, account: Account, region: str) -> int:
    """Recompute the scope's instance costs and its rollup; returns how many instance rows changed.

    `_costs` works out every live row's cost in SQL, and only the rows whose cost, source or price time changed are
    written, since an UPDATE rewrites the whole wide row and every index entry of it: an unchanged recompute writes
    no instance row. On PostgreSQL that is one UPDATE ... FROM (the computing SELECT) in the database; elsewhere the
    rows come to Python. It runs under the scope's lock (scope_lock: syncs of the scope's instances, spot and list
    prices finish in several workers at once; one waits for the other, then recomputes from what it committed)."""
    live = Instance.objects.filter(account=account, region=region, gone_at__isnull=True)
    with transaction.atomic():
        scope_lock(account=account, region=region)
        computed = _costs(account, region, live)
        write = _update_in_sql if connection.vendor == "postgresql" else _update_in_python
        changed = write(computed)
        _rollups_write(account, region)
    return changed


def _update_in_sql(computed: QuerySet[Instance]) -> int:
    table = connection.ops.quote_name(Instance._meta.db_table)
    select, params = computed.values("pk", *STORED, *FINAL).order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        # The correlated subqueries make the planner's cost estimate huge, and PostgreSQL then spends ~20 s
        # JIT-compiling a query that runs in about a second.
        cursor.execute("SET LOCAL jit = off")
        # Only the changed rows reach the join: an unchanged recompute reads the scope once and writes nothing.
        cursor.execute(
            f"UPDATE {table} AS i SET cost_per_hour = c.final_cost, cost_source = c.final_source, "  # noqa: S608
            f"cost_as_of = c.final_as_of FROM ({select}) AS c WHERE i.id = c.pk AND (c.cost_per_hour, c.cost_source, "
            "c.cost_as_of) IS DISTINCT FROM (c.final_cost, c.final_source, c.final_as_of)",
            params,
        )
        return cursor.rowcount


def _update_in_python(computed: QuerySet[Instance]) -> int:
    changed = []
    for row in computed.values("pk", *STORED, *FINAL):
        new = tuple(row[name] for name in FINAL)
        if new != tuple(row[field] for field in STORED):
            changed.append(Instance(pk=row["pk"], cost_per_hour=new[0], cost_source=new[1], cost_as_of=new[2]))
    Instance.objects.bulk_update(changed, STORED, batch_size=WRITE_BATCH)
    return len(changed)


def _costs(account: Account, region: str, live: QuerySet[Instance]) -> QuerySet[Instance]:
    """`live` annotated with final_cost, final_source and final_as_of by the rules in the module docstring."""
    spot = SpotPrice.objects.filter(
        account=account,
        region=region,
        gone_at__isnull=True,
        instance_type=OuterRef("instance_type_id"),
        availability_zone=OuterRef("availability_zone"),
        product_description=OuterRef("platform"),
    ).order_by("-timestamp")
    host = _prices(account, region, "host").filter(subject=OuterRef("family"))
    sharing = (
        Instance.objects.filter(
            account=account, region=region, gone_at__isnull=True, state="running", host_id=OuterRef("host_id")
        )
        .values("host_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    uses = ReservationUse.objects.filter(instance=OuterRef("pk")).values("instance")
    missing = Q(state="running", new_cost__isnull=True)  # never 0 for a missing price: "unknown", no time
    price = on_demand_price(account, region)
    on_host = Q(tenancy="host") & ~Q(host_id="")
    on_demand = Q(state="running") & ~Q(lifecycle="spot") & ~Q(tenancy="host")
    live = live.annotate(
        share=Case(
            When(on_demand, then=Coalesce(Subquery(uses.annotate(s=Sum("share")).values("s")), Value(0.0))),
            default=Value(0.0),
            output_field=FloatField(),
        ),
        reserved=Case(
            When(
                on_demand & GreaterThan(F("share"), Value(0.0)),
                then=Subquery(
                    uses.annotate(t=Sum(F("units") * F("reservation__usd_per_unit_hour"), output_field=MONEY)).values(
                        "t"
                    )
                ),
            ),
            default=Value(Decimal(0)),
            output_field=MONEY,
        ),
    )
    whole = GreaterThanOrEqual(F("share"), Value(FULL))
    rest = ExpressionWrapper(Subquery(price.values("usd")[:1]) * (Value(1.0) - F("share")), output_field=MONEY)
    return live.annotate(
        new_cost=Case(
            When(~Q(state="running"), then=Value(Decimal(0))),
            When(lifecycle="spot", then=Subquery(spot.values("usd_per_hour")[:1])),
            When(on_host, then=Subquery(host.values("usd")[:1]) / Subquery(sharing)),
            When(tenancy="host", then=Value(None)),
            When(whole, then=F("reserved")),
            default=F("reserved") + rest,  # NULL when the list price is missing
            output_field=MONEY,
        ),
        new_source=Case(
            When(~Q(state="running"), then=Value("stopped")),
            When(lifecycle="spot", then=Value("spot")),
            When(tenancy="host", then=Value("host")),
            When(whole, then=Value("reserved")),
            When(GreaterThan(F("share"), Value(0.0)), then=Value("reserved_partial")),
            default=Value("on_demand"),
            output_field=CharField(),
        ),
        new_as_of=Case(
            When(~Q(state="running"), then=Value(None)),
            When(lifecycle="spot", then=Subquery(spot.values("last_seen")[:1])),
            When(on_host, then=Subquery(host.values("last_seen")[:1])),
            When(tenancy="host", then=Value(None)),
            When(whole, then=Value(None)),
            default=Subquery(price.values("last_seen")[:1]),
            output_field=DateTimeField(),
        ),
    ).annotate(
        final_cost=Cast("new_cost", COST),  # rounded to the column's places
        final_source=Case(When(missing, then=Value("unknown")), default=F("new_source")),
        final_as_of=Case(When(missing, then=Value(None)), default=F("new_as_of"), output_field=DateTimeField()),
    )


# --- The rollup ------------------------------------------------------------------------------------------------

PURCHASE_OPTION = Case(
    When(lifecycle="spot", then=Value("spot")),
    When(tenancy="host", then=Value("dedicated host")),
    When(cost_source__in=("reserved", "reserved_partial"), then=Value("reserved")),
    default=F("lifecycle"),
    output_field=CharField(),
)


def rollup_store(*, account: Account, region: str) -> int:
    """Rebuild the scope's rollups (CostRollup from its instances' stored costs, FleetRollup from its instances) in
    one transaction; returns how many CostRollup rows the scope holds."""
    with transaction.atomic():
        scope_lock(account=account, region=region)
        return _rollups_write(account, region)


def _rollups_write(account: Account, region: str) -> int:
    fleet_rollup_store(account=account, region=region)
    return _cost_rollup_store(account=account, region=region)


# The instance findings a FleetRollup row counts (in any state: the overview narrows a finding to running instances).
FLEET_FINDINGS = {
    "no_key_pair": Q(key_name=""),
    "missing_owner": ~Q(tags__has_key="Owner"),
    "public_ip": Q(public_ip__isnull=False),
    "instance_store": Q(has_instance_store=True),
}


def fleet_rollup_store(*, account: Account, region: str) -> int:
    """Rebuild the scope's FleetRollup rows from its live instances (one grouped scan of the scope); returns how many
    rows it holds. Call it in a transaction holding scope_lock (rollup_store does)."""
    live = Instance.objects.filter(account=account, region=region, gone_at__isnull=True)
    counts = {name: Count("pk", filter=condition) for name, condition in FLEET_FINDINGS.items()}
    groups = live.values(*FleetRollup.DIMENSIONS).annotate(instances=Count("pk"), **counts).order_by()
    rows = [FleetRollup(account=account, region=region, **group) for group in groups]
    FleetRollup.objects.filter(account=account, region=region).delete()
    FleetRollup.objects.bulk_create(rows)
    return len(rows)


def _cost_rollup_store(*, account: Account, region: str) -> int:
    now = timezone.now()
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
            stopped=Count("pk", filter=Q(state__in=STOPPED)),
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
        account=account, region=region, gone_at__isnull=True, instance_id=OuterRef("instance_id"), state__in=STOPPED
    )
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
