"""(k)-(o) Inventory history: what recording costs a sync, what the change table weighs, and the history's pages.

(k) A sync of `instances` instances where 1% changed (a tag set on 100 of them in the sandbox between syncs), with
history on against the same sync with it off, alternating. (l)-(o) run on generated rows: `list_rows` instances
(bench.listrows) and, by one INSERT ... SELECT over generate_series (no ORM), 10 records of each (1,000,000 change
records at 100,000 instances) spread over 430 days, as the recorder writes them: the first `added`, then a state
change every 44 days, each with its diff and the old values (`before`), the last one giving the live row's state.
(l) is the table's size (with its indexes) per million records; (m) the instance list `?as_of=` 15 days ago, (n) the
/changes/ page (its first page and its 30-day chart), (o) /changes/compare/ over the last 30 days.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..table import Row, median, p95

NAME = "history"
HELP = "k-o, history: recording cost (on vs off), table size per 1M records, as_of list, /changes/, compare"
RECORD_RATIO_TARGET = 1.1
AS_OF_P95_MS, FEED_P95_MS, COMPARE_S = 300, 150, 1.0
VERSIONS = 10

Log = Callable[[str], None]

VERSIONS_SQL = """
INSERT INTO inventory_resourcechange
    (at, resource_type, account_id, region, resource_id, row_id, name, kind, sync_run_id, diff, before, action_id,
     actor)
SELECT
    t.at, 'instances', i.account_id, i.region, i.instance_id, i.id, i.name,
    CASE WHEN k = 0 THEN 'added' ELSE 'changed' END,
    NULL,
    CASE WHEN k = 0 THEN '{}'::jsonb ELSE jsonb_build_object('state', jsonb_build_array(t.previous, t.state)) END,
    CASE WHEN k > 0 THEN jsonb_build_object('state', t.previous, 'last_seen', t.at - interval '44 days') END,
    CASE WHEN k %% 10 = 3 THEN 1 END,
    CASE WHEN k %% 10 = 3 THEN 'bench-operator' ELSE '' END
FROM inventory_instance i
CROSS JOIN generate_series(0, %(last)s) AS k
CROSS JOIN LATERAL (
    SELECT CASE WHEN i.state = 'running' THEN 'stopped' ELSE 'running' END AS other
) o
CROSS JOIN LATERAL (
    SELECT now() - interval '430 days' + k * interval '44 days' + (i.id %% 43200) * interval '1 minute' AS at,
           CASE WHEN (%(last)s - k) %% 2 = 0 THEN i.state ELSE o.other END AS state,
           CASE WHEN (%(last)s - k) %% 2 = 1 THEN i.state ELSE o.other END AS previous
) t
ORDER BY t.at
"""


def _recording_cost(
    *, endpoint: str, region: str, instances: int, repeat: int, log: Log
) -> tuple[list[Row], list[str]]:
    from django.test.utils import override_settings

    from fleetui.ec2.models import Instance

    from ..sandbox import ec2_client, instances_seed
    from ..sync import account_default, catalog_sync, sync_run

    log(f"(k) seeding {instances} instances, then syncing with history on and off, 1% changed each time")
    instances_seed(endpoint=endpoint, region=region, count=instances)
    account = account_default()
    catalog_sync(account=account, region=region)
    first = sync_run(account=account, region=region)
    ids = list(Instance.objects.order_by("instance_id").values_list("instance_id", flat=True)[: instances // 100])
    ec2 = ec2_client(endpoint, region)
    samples: dict[bool, list[float]] = {False: [], True: []}
    for attempt in range(repeat + 1):  # the first round warms up: untimed
        for history in (False, True):
            ec2.create_tags(Resources=ids, Tags=[{"Key": "BenchRound", "Value": f"{attempt}-{history}"}])
            with override_settings(FLEETUI_HISTORY=history):
                began = time.perf_counter()
                run = sync_run(account=account, region=region)
                seconds = time.perf_counter() - began
            if run.changed != len(ids):
                raise RuntimeError(f"Changed {len(ids)} instances, the sync wrote {run.changed}")
            if attempt:
                samples[history].append(seconds)
    on, off = median(samples[True]), median(samples[False])
    ratio = on / off
    return [
        Row(f"k. sync of {instances} instances, 1% changed, history off (median of {repeat})", f"{off:.2f} s"),
        Row(f"k. the same with history on ({len(ids)} change records per sync)", f"{on:.2f} s"),
        Row("k. history on / off", f"{ratio:.3f}x", f"<= {RECORD_RATIO_TARGET}x", ratio <= RECORD_RATIO_TARGET),
    ], [
        f"(k) first sync: added={first.added}; off: {', '.join(f'{s:.2f}' for s in samples[False])} s; "
        f"on: {', '.join(f'{s:.2f}' for s in samples[True])} s"
    ]


def _generate(*, instances: int, log: Log) -> tuple[int, float]:
    from django.db import connection

    from fleetui.inventory.models import ResourceChange

    from ..listrows import list_rows_generate

    log(f"(l-o) generating {instances} instances and {instances * VERSIONS} change records (generate_series)")
    list_rows_generate(count=instances)
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {ResourceChange._meta.db_table}")
        cursor.execute(VERSIONS_SQL, {"last": VERSIONS - 1})
        cursor.execute(f"VACUUM ANALYZE {ResourceChange._meta.db_table}")
    return ResourceChange.objects.count(), time.perf_counter() - began


def _tables_clear() -> None:
    from django.db import connection

    from fleetui.inventory.models import ResourceChange

    from ..sync import instances_clear

    instances_clear()
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {ResourceChange._meta.db_table}")


def _timed(client: Any, url: str, count: int) -> list[float]:
    samples = []
    for attempt in range(count + 1):  # the first request warms the caches: untimed
        began = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        if attempt:
            samples.append(elapsed)
    return samples


def _pages(*, records: int, log: Log) -> tuple[list[Row], list[str]]:
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from fleetui.inventory.models import ResourceChange

    from ..listpage import viewer_client

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [ResourceChange._meta.db_table])
        size = cursor.fetchone()[0]
    per_million = size / records * 1_000_000 / 2**20
    client = viewer_client()
    now = timezone.now()
    as_of = (now - timedelta(days=15)).strftime("%Y-%m-%dT%H:%M:%SZ")
    start = (now - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    log("(m) instance list as of 15 days ago, (n) /changes/, (o) compare over 30 days")
    live_ms = _timed(client, "/instances/", 20)  # the same list now: what the machine's load makes of a list page
    as_of_ms = _timed(client, f"/instances/?as_of={as_of}", 20)
    filtered_ms = _timed(client, f"/instances/?as_of={as_of}&state=stopped&region=eu-west-1", 20)
    feed_ms = _timed(client, "/changes/", 20)
    outside_ms = _timed(client, "/changes/?actor=outside&resource_type=instances", 20)
    compare_ms = _timed(client, f"/changes/compare/?from={start}&to={now:%Y-%m-%dT%H:%M:%SZ}", 5)
    rows = [
        Row(f"l. change table with indexes, per 1M records ({records} generated)", f"{per_million:.0f} MiB"),
        Row("m. instance list ?as_of= (100k rows then) p95", f"{p95(as_of_ms):.0f} ms", f"<= {AS_OF_P95_MS} ms",
            p95(as_of_ms) <= AS_OF_P95_MS),
        Row("m. (reference: the same list now, without as_of) p95", f"{p95(live_ms):.0f} ms"),
        Row("m. the same, filtered (state, region) p95", f"{p95(filtered_ms):.0f} ms", f"<= {AS_OF_P95_MS} ms",
            p95(filtered_ms) <= AS_OF_P95_MS),
        Row(f"n. /changes/ first page and chart, {records} records, p95", f"{p95(feed_ms):.0f} ms",
            f"<= {FEED_P95_MS} ms", p95(feed_ms) <= FEED_P95_MS),
        Row("n. /changes/?actor=outside p95", f"{p95(outside_ms):.0f} ms", f"<= {FEED_P95_MS} ms",
            p95(outside_ms) <= FEED_P95_MS),
        Row("o. /changes/compare/ over 30 days (max of 5)", f"{max(compare_ms) / 1000:.2f} s", f"<= {COMPARE_S} s",
            max(compare_ms) / 1000 <= COMPARE_S),
    ]  # fmt: skip
    raw = [
        f"(l) {size / 2**20:.0f} MiB for {records} records",
        f"(m) as_of median {median(as_of_ms):.0f} ms, filtered median {median(filtered_ms):.0f} ms, "
        f"live median {median(live_ms):.0f} ms",
        f"(n) feed median {median(feed_ms):.0f} ms, outside median {median(outside_ms):.0f} ms",
        f"(o) compare samples {', '.join(f'{s:.0f}' for s in compare_ms)} ms",
    ]
    return rows, raw


def measure(
    *, endpoint: str, region: str, repeat: int, log: Log = lambda _: None,
    instances: int = 10_000, list_rows: int = 100_000,
) -> tuple[list[Row], list[str]]:  # fmt: skip
    from ..sandbox import aws_env_use

    aws_env_use(endpoint)
    records, seconds = _generate(instances=list_rows, log=log)
    rows, raw = _pages(records=records, log=log)
    raw.append(f"(l-o) generated {records} change records in {seconds:.1f} s")
    _tables_clear()  # (k) starts from an empty inventory, as a first sync does
    more_rows, more_raw = _recording_cost(endpoint=endpoint, region=region, instances=instances, repeat=repeat, log=log)
    return more_rows + rows, more_raw + raw
