"""The measures (a) to (e), each returning table rows and raw-number lines; `__main__` and the smoke test call these."""

import time
from collections.abc import Callable

from .table import Row, median

SYNC_RATIO_TARGET = 1.25
LIST_P95_TARGET_MS = 150.0
LIST_QUERIES_TARGET = 10
RSS_TARGET_MB = 300.0

Log = Callable[[str], None]


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
    from .fetch import raw_fetch_repeat
    from .sandbox import aws_env_use, instances_seed
    from .sync import account_default, catalog_sync, full_sync_time, sync_peak_rss, sync_profile, unchanged_resync

    aws_env_use(endpoint)
    started = time.perf_counter()
    log(f"seeding {instances} instances into {region}")
    instances_seed(endpoint=endpoint, region=region, count=instances)
    raw = [f"seeded {instances} instances in {time.perf_counter() - started:.1f} s"]

    log(f"(a) raw describe_instances x{repeat}")
    fetch_samples, fetched = raw_fetch_repeat(endpoint=endpoint, region=region, repeat=repeat)
    raw.append(f"(a) raw fetch of {fetched} instances: {_fmt_samples(fetch_samples)}")
    if fetched != instances:
        raise RuntimeError(f"The sandbox holds {fetched} instances, not the {instances} seeded")

    account = account_default()
    if catalog:
        types = catalog_sync(account=account, region=region)
        raw.append(f"instance-type catalog synced first (untimed): {types.status}, {types.seen} types")
    log(f"(b) full sync x{repeat}")
    sync_samples, run = full_sync_time(account=account, region=region, repeat=repeat)
    raw.append(f"(b) full sync: {_fmt_samples(sync_samples)}; SyncRun seen={run.seen} added={run.added}")
    if run.added != instances:
        raise RuntimeError(f"The full sync added {run.added} instances, not {instances}")

    log("(c) unchanged re-sync")
    writes, rerun, resync_seconds = unchanged_resync(account=account, region=region)
    raw.append(
        f"(c) unchanged re-sync in {resync_seconds:.3f} s: {writes.statements} write statements,"
        f" rows {dict(writes.rows) or '{}'}; SyncRun added={rerun.added} changed={rerun.changed} gone={rerun.gone}"
    )

    log("(e) full sync in a child process for its peak RSS")
    rss = sync_peak_rss(account_id=account.account_id, region=region)
    raw.append(
        f"(e) child sync in {rss['seconds']:.3f} s: peak RSS (VmHWM) {rss['vm_hwm_mib']:.1f} MiB,"
        f" after django.setup {rss['baseline_mib']:.1f} MiB, added {rss['added']};"
        f" wait4 ru_maxrss {rss['ru_maxrss_mib']:.1f} MiB (also counts the parent's pages before exec)"
    )

    if profile:
        log("profiling one full sync and one unchanged re-sync")
        raw.append("cProfile of one full sync:\n" + sync_profile(account=account, region=region))
        raw.append("cProfile of one unchanged re-sync:\n" + sync_profile(account=account, region=region, resync=True))

    fetch_s, sync_s = median(fetch_samples), median(sync_samples)
    ratio = sync_s / fetch_s
    run_counts = (rerun.added, rerun.changed, rerun.gone)
    return [
        Row(f"a. raw describe_instances, {instances} instances (median of {repeat})", f"{fetch_s:.2f} s"),
        Row(f"b. full sync into PostgreSQL (median of {repeat})", f"{sync_s:.2f} s"),
        Row("b/a. sync time / raw fetch time", f"{ratio:.2f}x", f"<= {SYNC_RATIO_TARGET}x", ratio <= SYNC_RATIO_TARGET),
        Row(
            "c. unchanged re-sync: rows written (SyncRun added/changed/gone)",
            f"{writes.total} ({'/'.join(map(str, run_counts))})",
            "0 (0/0/0)",
            writes.total == 0 and run_counts == (0, 0, 0),
        ),
        Row(
            f"e. sync peak RSS at {instances} instances",
            f"{rss['vm_hwm_mib']:.0f} MiB",
            f"<= {RSS_TARGET_MB:.0f} MiB",
            rss["vm_hwm_mib"] <= RSS_TARGET_MB,
        ),
    ], raw


def list_measure(
    *, count: int, requests: int, explain: bool = False, log: Log = lambda _: None
) -> tuple[list[Row], list[str]]:
    """(d) Generate `count` Instance rows, then time four list pages and count queries at 25 and 100 rows."""
    from .listpage import explain_analyze, list_pages, page_time, query_count, viewer_client
    from .listrows import list_rows_generate

    started = time.perf_counter()
    log(f"(d) generating {count} Instance rows")
    visible = list_rows_generate(count=count)
    raw = [f"(d) generated {count} rows ({visible} not gone) in {time.perf_counter() - started:.1f} s"]
    client = viewer_client()
    rows: list[Row] = []
    for name, query in list_pages(visible_rows=visible):
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
    q25, q100 = query_count(client, per_page=25), query_count(client, per_page=100)
    rows.append(
        Row(
            "d. list SQL queries per page at 25 / 100 rows",
            f"{q25} / {q100}",
            f"<= {LIST_QUERIES_TARGET}, equal",
            max(q25, q100) <= LIST_QUERIES_TARGET and q25 == q100,
        )
    )
    return rows, raw
