"""(p) The overview (home) page at 100,000 instances: server time of `GET /` as a viewer, and its SQL queries.

Needs no sandbox calls: the rows are generated. The instances are the list benchmark's fleet (bench.listrows: 2
accounts x 3 regions, 9 families, 70% running, 2% gone), with instance store on the running i3 and d2 instances as
the sync would set it. Beside them, what the page's other tiles read, in a fleet's proportions: 400 Elastic IPs (a
quarter unattached), 1,200 security groups (5% critical), 2,000 AMIs (half older than 180 days), 2,000 Reserved
Instances with their coverage stored (bench.services.reservations), the overview's rollups as the instances' sync
leaves them (fleetui.ec2.cost_store.rollup_store; no prices, so every running instance's cost is unknown), a day of
sync runs (36 types in the 6 scopes, every 5 minutes: 62,208 runs) and 20,000 inventory changes over the last two
days. The other services' tables stay empty: their tiles read tens to hundreds of rows, so their cost is the queries,
which the count shows.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import timedelta

from ..table import Row

NAME = "overview"
HELP = "p, the overview page at 100,000 instances: p95 and median of GET /, SQL queries"
INSTANCES = 100_000
REQUESTS = 30
RESERVATIONS = 2_000
CHANGES = 20_000
SYNC_PERIODS = 288  # a day of 5-minute syncs
P95_TARGET_MS = 150.0

Log = Callable[[str], None]
# Vacuumed and analyzed after the rows are written, as autovacuum would, so the planner sees the real sizes.
ANALYZED = (
    "inventory_syncrun", "inventory_resourcechange", "inventory_instance", "inventory_elasticip",
    "inventory_securitygroup", "inventory_image", "ec2_reservedinstance", "ec2_reservationuse", "ec2_fleetrollup",
    "ec2_costrollup",
)  # fmt: skip

SYNC_RUNS_SQL = """
INSERT INTO inventory_syncrun
    (account_id, region, resource_type, status, started_at, finished_at, seen, added, changed, gone, error)
SELECT a.id, r.region, 'type_' || t, 'succeeded', now() - k * interval '5 minutes',
       now() - k * interval '5 minutes' + interval '20 seconds', 100, 0, 0, 0, ''
FROM inventory_account a
CROSS JOIN unnest(%(regions)s::text[]) AS r(region)
CROSS JOIN generate_series(1, %(types)s) AS t
CROSS JOIN generate_series(1, %(periods)s) AS k
WHERE a.account_id = ANY(%(accounts)s)
"""
CHANGES_SQL = """
INSERT INTO inventory_resourcechange
    (at, resource_type, account_id, region, resource_id, row_id, name, kind, sync_run_id, diff, before, action_id,
     actor)
SELECT now() - (n %% 2880) * interval '1 minute', 'instances', i.account_id, i.region, i.instance_id, i.id, i.name,
       'changed', NULL, '{"state": ["running", "stopped"]}'::jsonb, '{"state": "running"}'::jsonb,
       CASE WHEN n %% 10 = 3 THEN 1 END, CASE WHEN n %% 10 = 3 THEN 'bench-operator' ELSE '' END
FROM generate_series(1, %(count)s) AS n
JOIN inventory_instance i ON i.id = (SELECT min(id) FROM inventory_instance) + n
"""


def _ec2_others_generate() -> dict[str, int]:
    """Elastic IPs, security groups and AMIs over the list benchmark's accounts and regions."""
    from django.utils import timezone

    from fleetui.ec2.models import ElasticIP, Image, SecurityGroup

    from ..listrows import REGIONS, accounts_ensure

    rng = random.Random(7)
    accounts = accounts_ensure()
    now = timezone.now()
    seen = {"first_seen": now, "last_seen": now}

    def scope(n: int) -> dict:
        return {"account": accounts[n % len(accounts)], "region": REGIONS[n % len(REGIONS)], **seen}

    eips = [
        ElasticIP(allocation_id=f"eipalloc-{n:017x}", public_ip=f"52.0.{n // 250}.{n % 250 + 1}", domain="vpc",
                  association_id="" if n % 4 == 0 else f"eipassoc-{n:017x}", **scope(n))
        for n in range(400)
    ]  # fmt: skip
    groups = [
        SecurityGroup(group_id=f"sg-{n:017x}", group_name=f"bench-sg-{n}", vpc_id=f"vpc-{n % 6:017x}",
                      severity="critical" if n % 20 == 0 else rng.choice(["", "", "warning", "info"]), **scope(n))
        for n in range(1200)
    ]  # fmt: skip
    images = [
        Image(image_id=f"ami-{n:017x}", name=f"bench-image-{n}", state="available", owner_id="111111111111",
              creation_date=now - timedelta(days=rng.randrange(360)), **scope(n))
        for n in range(2000)
    ]  # fmt: skip
    for model, rows in ((ElasticIP, eips), (SecurityGroup, groups), (Image, images)):
        model.objects.bulk_create(rows, batch_size=1000)
    return {"Elastic IPs": len(eips), "security groups": len(groups), "AMIs": len(images)}


def _fleet_generate(log: Log) -> list[str]:
    """The rows the page reads (see the module's docstring); returns raw-number lines."""
    from django.db import connection

    from fleetui.ec2.cost_store import rollup_store
    from fleetui.ec2.models import Instance, ReservationUse, ReservedInstance
    from fleetui.ec2.reservations import coverage_store
    from fleetui.inventory.models import Account, ResourceChange, SyncRun

    from ..listrows import ACCOUNTS, REGIONS, list_rows_generate
    from .reservations import _reservations_generate

    began = time.perf_counter()
    log(f"(p) generating {INSTANCES} Instance rows and the other types the overview reads")
    if Instance.objects.count() != INSTANCES:
        list_rows_generate(count=INSTANCES)
    stores = Instance.objects.filter(family__in=["i3", "d2"], state="running").update(has_instance_store=True)
    others = _ec2_others_generate()
    if not ReservedInstance.objects.exists():
        _reservations_generate(RESERVATIONS)
    ReservationUse.objects.all().delete()
    scopes = [
        (a, region) for a in Account.objects.filter(account_id__in=[a for a, _ in ACCOUNTS]) for region in REGIONS
    ]
    uses = sum(coverage_store(account=account, region=region) for account, region in scopes)
    for account, region in scopes:  # the overview's rollups, as each scope's instance sync leaves them
        rollup_store(account=account, region=region)
    with connection.cursor() as cursor:
        accounts = [a for a, _ in ACCOUNTS]
        cursor.execute(SYNC_RUNS_SQL, {"regions": REGIONS, "types": 36, "accounts": accounts, "periods": SYNC_PERIODS})
        cursor.execute(CHANGES_SQL, {"count": min(CHANGES, INSTANCES - 1)})
        # VACUUM cannot run in a transaction (the smoke test's): there only ANALYZE.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        for table in ANALYZED:
            cursor.execute(f"{command} {table}")
    return [
        f"(p) generated in {time.perf_counter() - began:.1f} s: {Instance.objects.count()} instances"
        f" ({stores} running with instance store), "
        + ", ".join(f"{n} {what}" for what, n in others.items())
        + f", {ReservedInstance.objects.count()} reservations ({uses} uses), {SyncRun.objects.count()} sync runs,"
        f" {ResourceChange.objects.count()} changes"
    ]


def measure(*, endpoint: str, region: str, repeat: int, log: Log = lambda _: None) -> tuple[list[Row], list[str]]:
    from ..listpage import page_time, query_count, viewer_client

    raw = _fleet_generate(log)
    client = viewer_client()
    log(f"(p) GET / : {REQUESTS} requests")
    timing = page_time(client, name="overview", query="", requests=REQUESTS, url_name="inventory:overview")
    queries = query_count(client, query="", url_name="inventory:overview")
    # The instances list's default page on the same rows (row d's), timed beside it: on a busy machine, the ratio of
    # the two says more than either time.
    beside = page_time(client, name="list default page", query="", requests=REQUESTS)
    raw.append(
        f"(p) overview: median {timing.median_ms:.1f} ms, p95 {timing.p95_ms:.1f} ms, max {max(timing.samples_ms):.1f}"
        f" ms; {queries} SQL queries; slowest SQL {timing.slowest_sql_ms:.1f} ms: {timing.slowest_sql[:300]}"
    )
    raw.append(
        f"(p) beside it, the instances list's default page (row d): median {beside.median_ms:.1f} ms, p95"
        f" {beside.p95_ms:.1f} ms; overview / list medians {timing.median_ms / beside.median_ms:.2f}"
    )
    return [
        Row(
            f"p. overview page at {INSTANCES} instances: p95 (median), {REQUESTS} requests; SQL queries",
            f"{timing.p95_ms:.1f} ms ({timing.median_ms:.1f} ms); {queries} queries",
            f"p95 <= {P95_TARGET_MS:.0f} ms",
            timing.p95_ms <= P95_TARGET_MS,
        )
    ], raw
