"""(r) Reserved Instance coverage: AWS's rules over 100,000 instances and 2,000 reservations.

r1 times the pure rules (fleetui.ec2.coverage.coverage_compute) on rows shaped like the list benchmark's fleet
(2 accounts x 3 regions, 9 families, four sizes, some dedicated and Windows), reservations zonal and regional,
some size-flexible. r2 times what a sync does with it: `coverage_store` for every scope, reading the Instance
and ReservedInstance rows from PostgreSQL and writing the ReservationUse rows (into empty tables, then unchanged).
Needs no sandbox calls: the rows are generated (the list benchmark's generator for the instances).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import timedelta

from ..table import Row, median

NAME = "reservations"
HELP = "r, Reserved Instance coverage for 100,000 instances and 2,000 reservations"
TARGET_S = 5.0
INSTANCES = 100_000
RESERVATIONS = 2_000

Log = Callable[[str], None]


def synthetic(instances: int, reservations: int, seed: int = 11) -> tuple[list, list]:
    """Plain rows for the pure rules: instances and reservations across 6 scopes, deterministic."""
    from fleetui.ec2.coverage import CoveredInstance, Reservation

    from ..listrows import FAMILIES, SIZES

    rng = random.Random(seed)
    scopes = [(account, region) for account in (1, 2) for region in ("us-east-1", "eu-west-1", "ap-southeast-2")]
    types = [f"{family}.{size[0]}" for family in FAMILIES for size in SIZES]
    zones = "abc"

    def place() -> tuple[tuple[int, str], str, str]:
        scope = rng.choice(scopes)
        return scope, rng.choice(types), f"{scope[1]}{rng.choice(zones)}"

    rows = []
    for key in range(instances):
        scope, kind, zone = place()
        platform = "Windows" if rng.random() < 0.1 else "Linux/UNIX"
        rows.append(
            CoveredInstance(key, scope, kind, zone, platform, "dedicated" if rng.random() < 0.07 else "default")
        )
    bought = []
    for key in range(reservations):
        scope, kind, zone = place()
        bought.append(
            Reservation(
                key, scope, kind, zone if rng.random() < 0.3 else "", "Linux/UNIX", "default", 1 + rng.randrange(20)
            )
        )
    return rows, bought


def _reservations_generate(count: int) -> int:
    """`count` ReservedInstance rows over the list benchmark's accounts and regions; returns the scopes' count."""
    from django.utils import timezone

    from fleetui.ec2.models import ReservedInstance

    from ..listrows import FAMILIES, REGIONS, SIZES, accounts_ensure

    rng = random.Random(5)
    accounts = accounts_ensure()
    now = timezone.now()
    rows = []
    for n in range(count):
        region = rng.choice(REGIONS)
        kind = f"{rng.choice(list(FAMILIES))}.{rng.choice(SIZES)[0]}"
        zonal = rng.random() < 0.3
        rows.append(
            ReservedInstance(
                account=rng.choice(accounts), region=region, reserved_instances_id=f"bench-ri-{n:05d}",
                instance_type=kind, family=kind.partition(".")[0], scope="Availability Zone" if zonal else "Region",
                availability_zone=f"{region}{rng.choice('abc')}" if zonal else "", instance_count=1 + rng.randrange(20),
                offering_class="standard", offering_type="All Upfront", product_description="Linux/UNIX",
                instance_tenancy="default", start=now - timedelta(days=100), end=now + timedelta(days=265),
                duration_seconds=31536000, state="active", first_seen=now, last_seen=now,
            )
        )  # fmt: skip
    ReservedInstance.objects.bulk_create(rows, batch_size=1000)
    return len(accounts) * len(REGIONS)


def _store_all() -> tuple[float, int]:
    from fleetui.ec2.reservations import coverage_store
    from fleetui.inventory.models import Account

    from ..listrows import REGIONS

    began = time.perf_counter()
    uses = sum(
        coverage_store(account=account, region=region)
        for account in Account.objects.filter(account_id__in=["111111111111", "222222222222"])
        for region in REGIONS
    )
    return time.perf_counter() - began, uses


def measure(*, endpoint: str, region: str, repeat: int, log: Log = lambda _: None) -> tuple[list[Row], list[str]]:
    from fleetui.ec2.coverage import coverage_compute
    from fleetui.ec2.models import Instance, ReservationUse

    from ..listrows import list_rows_generate

    instances, reservations = synthetic(INSTANCES, RESERVATIONS)
    log(f"(r1) coverage rules over {INSTANCES} instances and {RESERVATIONS} reservations, x{repeat}")
    samples = []
    for _ in range(max(repeat, 1)):
        began = time.perf_counter()
        uses = coverage_compute(instances, reservations)
        samples.append(time.perf_counter() - began)
    raw = [f"(r1) {len(uses)} uses; runs: {', '.join(f'{s:.2f}' for s in samples)} s"]
    rows = [
        Row(f"r1. coverage rules, {INSTANCES} instances x {RESERVATIONS} reservations: median (max)",
            f"{median(samples):.2f} s ({max(samples):.2f} s)", f"<= {TARGET_S:.0f} s", max(samples) <= TARGET_S),
    ]  # fmt: skip
    if Instance.objects.count() < INSTANCES:
        log(f"(r2) generating {INSTANCES} Instance rows")
        list_rows_generate(count=INSTANCES)
    scopes = _reservations_generate(RESERVATIONS)
    log(f"(r2) coverage_store over {scopes} scopes: into an empty table, then unchanged")
    ReservationUse.objects.all().delete()
    first, stored = _store_all()
    again, _ = _store_all()
    raw.append(f"(r2) {stored} uses stored in {first:.2f} s; unchanged re-run {again:.2f} s")
    rows.append(
        Row(f"r2. coverage stored after sync, {Instance.objects.count()} instance rows, all scopes: first (unchanged)",
            f"{first:.2f} s ({again:.2f} s)", f"<= {TARGET_S:.0f} s", max(first, again) <= TARGET_S),
    )  # fmt: skip
    return rows, raw
