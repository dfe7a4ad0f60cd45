"""The measures (a) to (e), each returning table rows and raw-number lines; `__main__` and the smoke test call these."""

import time
from collections.abc import Callable
from typing import Any

from .table import Row, median

SYNC_RATIO_TARGET = 1.25
LIST_P95_TARGET_MS = 150.0
LIST_QUERIES_TARGET = 10
RSS_TARGET_MB = 300.0

Log = Callable[[str], None]
Measured = tuple[list[Row], list[str]]


def _fmt_samples(samples: list[float], unit: str = "s", scale: float = 1.0) -> str:
    return ", ".join(f"{s * scale:.3f}" for s in samples) + f" {unit}"


def sync_measure(
    *,
    endpoint: str,
    region: str,
    instances: int,
    repeat: int,
    catalog: bool = True,
    profile: bool = False,
    log: Log = lambda _: None,
) -> tuple[list[Row], list[str]]:
    """Seed the sandbox, then (a) raw fetch, (b) full sync, (c) unchanged re-sync and (e) the sync's peak RSS.

    `catalog` syncs the instance-type catalog first (untimed), as production has it before instances.
    """
    from .sandbox import aws_env_use, instances_seed
    from .sync import account_default, catalog_sync, sync_profile

    aws_env_use(endpoint)
    started = time.perf_counter()
    log(f"seeding {instances} instances into {region}")
    instances_seed(endpoint=endpoint, region=region, count=instances)
    raw = [f"seeded {instances} instances in {time.perf_counter() - started:.1f} s"]
    account = account_default()
    if catalog:
        types = catalog_sync(account=account, region=region)
        raw.append(f"instance-type catalog synced first (untimed): {types.status}, {types.seen} types")
    rows: list[Row] = []
    for measure in (_fetch_vs_sync, _unchanged_resync, _peak_rss):
        more_rows, more_raw = measure(
            endpoint=endpoint, region=region, account=account, instances=instances, repeat=repeat, log=log
        )
        rows += more_rows
        raw += more_raw
    if profile:
        log("profiling one full sync and one unchanged re-sync")
        raw.append("cProfile of one full sync:\n" + sync_profile(account=account, region=region))
        raw.append("cProfile of one unchanged re-sync:\n" + sync_profile(account=account, region=region, resync=True))
    return rows, raw


def _fetch_vs_sync(*, endpoint: str, region: str, account: Any, instances: int, repeat: int, log: Log) -> Measured:
    from .sync import fetch_and_sync

    log(f"(a) raw describe_instances and (b) full sync, alternating, x{repeat}")
    both = fetch_and_sync(endpoint=endpoint, region=region, account=account, repeat=repeat)
    run = both.run
    assert run is not None
    if both.fetched != instances or run.added != instances:
        raise RuntimeError(f"Seeded {instances} instances, fetched {both.fetched}, the sync added {run.added}")
    fetch_s, sync_s = median(both.fetch_seconds), median(both.sync_seconds)
    ratio = sync_s / fetch_s
    return [
        Row(f"a. raw describe_instances, {instances} instances (median of {repeat})", f"{fetch_s:.2f} s"),
        Row(f"b. full sync into PostgreSQL (median of {repeat})", f"{sync_s:.2f} s"),
        Row("b/a. sync time / raw fetch time", f"{ratio:.2f}x", f"<= {SYNC_RATIO_TARGET}x", ratio <= SYNC_RATIO_TARGET),
    ], [
        f"(a) raw fetch of {both.fetched} instances: {_fmt_samples(both.fetch_seconds)}",
        f"(b) full sync: {_fmt_samples(both.sync_seconds)}; SyncRun seen={run.seen} added={run.added}",
    ]


def _unchanged_resync(*, endpoint: str, region: str, account: Any, instances: int, repeat: int, log: Log) -> Measured:
    from .sync import unchanged_resync

    log("(c) unchanged re-sync")
    writes, rerun, seconds = unchanged_resync(account=account, region=region)
    counts = (rerun.added, rerun.changed, rerun.gone)
    return [
        Row(
            "c. unchanged re-sync: rows written (SyncRun added/changed/gone)",
            f"{writes.total} ({'/'.join(map(str, counts))})",
            "0 (0/0/0)",
            writes.total == 0 and counts == (0, 0, 0),
        )
    ], [
        f"(c) unchanged re-sync in {seconds:.3f} s: {writes.statements} write statements,"
        f" rows {dict(writes.rows) or '{}'}; SyncRun added={rerun.added} changed={rerun.changed} gone={rerun.gone}"
    ]


def _peak_rss(*, endpoint: str, region: str, account: Any, instances: int, repeat: int, log: Log) -> Measured:
    from .sync import sync_peak_rss

    log("(e) full sync in a child process for its peak RSS")
    rss = sync_peak_rss(account_id=account.account_id, region=region)
    return [
        Row(
            f"e. sync peak RSS at {instances} instances",
            f"{rss['vm_hwm_mib']:.0f} MiB",
            f"<= {RSS_TARGET_MB:.0f} MiB",
            rss["vm_hwm_mib"] <= RSS_TARGET_MB,
        )
    ], [
        f"(e) child sync in {rss['seconds']:.3f} s: peak RSS (VmHWM) {rss['vm_hwm_mib']:.1f} MiB,"
        f" after django.setup {rss['baseline_mib']:.1f} MiB, added {rss['added']};"
        f" wait4 ru_maxrss {rss['ru_maxrss_mib']:.1f} MiB (also counts the parent's pages before exec)"
    ]


def list_measure(
    *, count: int, requests: int, explain: bool = False, log: Log = lambda _: None
) -> tuple[list[Row], list[str]]:
    """(d) Generate `count` Instance rows, then time four list pages and count queries at 25 and 100 rows."""
    from .listpage import explain_analyze, list_pages, page_time, viewer_client
    from .listrows import list_rows_generate

    started = time.perf_counter()
    log(f"(d) generating {count} Instance rows")
    visible = list_rows_generate(count=count)
    raw = [f"(d) generated {count} rows ({visible} not gone) in {time.perf_counter() - started:.1f} s"]
    client = viewer_client()
    rows: list[Row] = []
    pages = list_pages(visible_rows=visible)
    for name, query in pages:
        log(f"(d) {name}: {requests} requests")
        timing = page_time(client, name=name, query=query, requests=requests)
        raw.append(
            f"(d) {name} {query or '(no query)'}: median {timing.median_ms:.1f} ms, p95 {timing.p95_ms:.1f} ms,"
            f" max {max(timing.samples_ms):.1f} ms; slowest SQL {timing.slowest_sql_ms:.1f} ms"
        )
        if explain and timing.slowest_sql:
            raw.append(f"    slowest SQL: {timing.slowest_sql}\n" + explain_analyze(timing.slowest_sql))
        rows.append(
            Row(
                f"d. list {name} at {count} rows: p95 (median), {requests} requests",
                f"{timing.p95_ms:.1f} ms ({timing.median_ms:.1f} ms)",
                f"p95 <= {LIST_P95_TARGET_MS:.0f} ms",
                timing.p95_ms <= LIST_P95_TARGET_MS,
            )
        )
    rows.append(_query_counts(client, pages[:3], raw))
    return rows, raw


def _query_counts(client: Any, pages: list[tuple[str, str]], raw: list[str]) -> Row:
    """Queries per request at 25 and at 100 rows, for each page; the row shows the default page's and the worst."""
    from .listpage import query_count

    counts = {
        name: (query_count(client, query=q, per_page=25), query_count(client, query=q, per_page=100))
        for name, q in pages
    }
    raw.append("(d) SQL queries at 25 / 100 rows: " + ", ".join(f"{name} {a} / {b}" for name, (a, b) in counts.items()))
    worst = max(max(pair) for pair in counts.values())
    equal = all(a == b for a, b in counts.values())
    default = next(iter(counts.values()))
    return Row(
        "d. list SQL queries per page at 25 / 100 rows (default page; worst of 3 pages)",
        f"{default[0]} / {default[1]}; worst {worst}{'' if equal else ', NOT equal'}",
        f"<= {LIST_QUERIES_TARGET}, equal",
        worst <= LIST_QUERIES_TARGET and equal,
    )
