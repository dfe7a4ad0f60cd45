"""(r3) Cost per instance at 100,000 rows: the list sorted by cost, and the recompute that stores the costs.

The list benchmark's generator makes the Instance rows; each scope then gets list prices for the types, platforms
and tenancies it runs (as the list_prices sync would store them), spot prices by AZ and dedicated-host and EBS
prices, and `cost_store` prices every row as a sync would after a price or instance change (r3a). r3 times the
instance list sorted by cost, dearest first and cheapest first, through django.test.Client (the whole stack).
Needs no sandbox calls.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from decimal import Decimal

from ..table import Row, p95

NAME = "costs"
HELP = "r3, the instance list sorted by cost at 100,000 rows, and the cost recompute"
INSTANCES = 100_000
TARGET_MS = 150
STORE_TARGET_S = 10.0  # ours: a recompute after a sync must stay well inside the sync's own minutes

Log = Callable[[str], None]


def _prices_generate() -> None:
    """ListPrice and SpotPrice rows for every account, region, type, platform and tenancy the generated fleet has."""
    from django.db import connection
    from django.utils import timezone

    from fleetui.ec2.models import Instance, ListPrice, SpotPrice

    from ..listrows import REGIONS, accounts_ensure

    rng = random.Random(3)
    now = timezone.now()
    ListPrice.objects.all().delete()
    SpotPrice.objects.all().delete()
    combos = set(Instance.objects.values_list("instance_type_id", "platform", "tenancy").distinct())
    families = {kind.partition(".")[0] for kind, _, _ in combos}
    prices, spots = [], []
    for account in accounts_ensure():
        for region in REGIONS:
            scope = {"account": account, "region": region, "first_seen": now, "last_seen": now}
            for kind, platform, tenancy in combos:
                usd = Decimal(str(round(rng.uniform(0.02, 4.0), 4)))
                key = f"instance|{kind}|{platform}|{tenancy}"
                prices.append(ListPrice(**scope, price_key=key, kind="instance", subject=kind, platform=platform,
                                        tenancy=tenancy, usd=usd, unit="Hrs"))  # fmt: skip
                for zone in "abc":
                    spots.append(SpotPrice(**scope, price_key=f"{kind}/{region}{zone}/{platform}", instance_type=kind,
                                           availability_zone=f"{region}{zone}", product_description=platform,
                                           usd_per_hour=usd * Decimal("0.35")))  # fmt: skip
            for family in families:
                prices.append(ListPrice(**scope, price_key=f"host|{family}||", kind="host", subject=family,
                                        usd=Decimal("5.0"), unit="Hrs"))  # fmt: skip
            for volume, usd in (("gp2", "0.10"), ("gp3", "0.08")):
                prices.append(ListPrice(**scope, price_key=f"storage|{volume}||", kind="storage", subject=volume,
                                        usd=Decimal(usd), unit="GB-Mo"))  # fmt: skip
    ListPrice.objects.bulk_create(prices, batch_size=2000, ignore_conflicts=True)
    SpotPrice.objects.bulk_create(spots, batch_size=2000, ignore_conflicts=True)
    with connection.cursor() as cursor:  # as autovacuum would after the sync's inserts
        for model in (ListPrice, SpotPrice):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _store_all() -> float:
    from django.db import connection

    from fleetui.ec2.cost_store import cost_store
    from fleetui.ec2.models import Instance

    from ..listrows import REGIONS, accounts_ensure

    began = time.perf_counter()
    for account in accounts_ensure():
        for region in REGIONS:
            cost_store(account=account, region=region)
    elapsed = time.perf_counter() - began
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(Instance._meta.db_table)}")
    return elapsed


def measure(*, endpoint: str, region: str, repeat: int, log: Log = lambda _: None) -> tuple[list[Row], list[str]]:
    from fleetui.ec2.models import Instance

    from ..listpage import page_time, viewer_client
    from ..listrows import list_rows_generate

    if Instance.objects.count() < INSTANCES:
        log(f"(r3) generating {INSTANCES} Instance rows")
        list_rows_generate(count=INSTANCES)
    _prices_generate()
    log("(r3a) cost_store over every scope")
    stored = _store_all()
    priced = Instance.objects.filter(gone_at__isnull=True, cost_per_hour__isnull=False).count()
    unknown = Instance.objects.filter(gone_at__isnull=True, state="running", cost_per_hour__isnull=True).count()
    client = viewer_client()
    requests = max(repeat, 1) * 10
    rows = [
        Row(f"r3a. costs stored for {Instance.objects.count()} instance rows, all scopes",
            f"{stored:.2f} s", f"<= {STORE_TARGET_S:.0f} s (ours)", stored <= STORE_TARGET_S),
    ]  # fmt: skip
    raw = [f"(r3a) {priced} live rows priced, {unknown} running unknown; stored in {stored:.2f} s"]
    baseline = page_time(client, name="default order", query="", requests=requests)
    rows.append(
        Row("r3 context: the same list in its default order, same run: p95 (median)",
            f"{p95(baseline.samples_ms):.0f} ms ({baseline.median_ms:.0f} ms)"),
    )  # fmt: skip
    for name, query in (("dearest first", "?sort=-cost"), ("cheapest first", "?sort=cost")):
        log(f"(r3) instance list sorted by cost, {name}: {requests} requests")
        timing = page_time(client, name=name, query=query, requests=requests)
        raw.append(f"(r3) {name}: median {timing.median_ms:.1f} ms; slowest SQL {timing.slowest_sql_ms:.1f} ms:")
        raw.append(f"    {timing.slowest_sql[:200]}")
        rows.append(
            Row(f"r3. instance list sorted by cost ({name}), {INSTANCES} rows: p95",
                f"{p95(timing.samples_ms):.0f} ms", f"<= {TARGET_MS} ms", p95(timing.samples_ms) <= TARGET_MS),
        )  # fmt: skip
    return rows, raw
