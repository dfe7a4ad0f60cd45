"""(b) full sync time, (c) rows an unchanged re-sync writes, (e) the sync's peak RSS in a child process."""

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection

from fleetui.ec2.models import Instance
from fleetui.inventory.models import Account, SyncRun

ROOT = Path(__file__).resolve().parent.parent
RESOURCE = "instances"
# The first statement keyword that writes, and the table it writes to (ON CONFLICT ... DO UPDATE SET
# and SELECT ... FOR UPDATE are not matched as a table because "SET"/"OF" is not an inventory table).
WRITE = re.compile(r'\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def inventory_tables() -> frozenset[str]:
    """The tables the sync engine loads: every declared resource type's (SyncRun bookkeeping is not one)."""
    from fleetui.inventory.sync.registry import SYNCS

    return frozenset(spec.model._meta.db_table for spec in SYNCS.values())


@dataclass
class WriteCounter:
    """Counts rows written to inventory tables (SyncRun bookkeeping excluded), per table and statement kind."""

    rows: Counter = field(default_factory=Counter)
    statements: int = 0
    tables: frozenset[str] = field(default_factory=inventory_tables)

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: dict) -> Any:
        result = execute(sql, params, many, context)
        if not sql.lstrip().upper().startswith("SELECT"):
            for match in WRITE.finditer(sql):
                table = match.group(2)
                if table in self.tables:
                    self.statements += 1
                    rowcount = context["cursor"].rowcount
                    self.rows[f"{match.group(1).split()[0].upper()} {table}"] += max(rowcount, 0)
                    break
        return result

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def account_default() -> Account:
    from fleetui.inventory.services import account_ensure_default

    return account_ensure_default()


def sync_run(*, account: Account, region: str) -> SyncRun:
    """One sync of the instances scope; returns the SyncRun it recorded. Raises if the run failed."""
    from fleetui.inventory.sync import sync_scope

    result = sync_scope(account=account, region=region, resource_type=RESOURCE)
    run = result if isinstance(result, SyncRun) else SyncRun.objects.filter(account=account, region=region).first()
    if run is None or run.status != SyncRun.Status.SUCCEEDED:
        raise RuntimeError(f"The sync did not succeed: {run and run.status} {run and run.error}")
    return run


def catalog_sync(*, account: Account, region: str) -> SyncRun:
    """Sync the instance-type catalog once (untimed): the instances sync takes categories from it, as in production."""
    from fleetui.inventory.sync import sync_scope

    return sync_scope(account=account, region=region, resource_type="instance_types")


def instances_clear() -> None:
    """Start from an empty instances table (and no sync history), as a first sync would."""
    with connection.cursor() as cursor:
        for model in (Instance, SyncRun):
            cursor.execute(f"TRUNCATE {connection.ops.quote_name(model._meta.db_table)} CASCADE")


@dataclass
class FetchVsSync:
    fetch_seconds: list[float] = field(default_factory=list)
    sync_seconds: list[float] = field(default_factory=list)
    fetched: int = 0
    run: SyncRun | None = None


def fetch_and_sync(*, endpoint: str, region: str, account: Account, repeat: int) -> FetchVsSync:
    """(a) and (b) interleaved: `repeat` rounds of a raw fetch then a full sync into an empty instances table.

    Alternating keeps a change in the machine's load from favouring one side; one untimed round first
    loads botocore's models and warms the database and the sandbox.
    """
    from .fetch import raw_fetch

    result = FetchVsSync()
    for attempt in range(repeat + 1):
        seconds, result.fetched = raw_fetch(endpoint=endpoint, region=region)
        instances_clear()
        started = time.perf_counter()
        result.run = sync_run(account=account, region=region)
        if attempt:
            result.fetch_seconds.append(seconds)
            result.sync_seconds.append(time.perf_counter() - started)
    return result


def unchanged_resync(*, account: Account, region: str) -> tuple[WriteCounter, SyncRun, float]:
    """A sync right after a complete one, with nothing changed in AWS. Returns its writes, run and seconds."""
    counter = WriteCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        run = sync_run(account=account, region=region)
    return counter, run, time.perf_counter() - started


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def sync_peak_rss(*, account_id: str, region: str) -> dict:
    """Run one full sync in a child process; its peak RSS (MiB): the child's own VmHWM, and wait4's ru_maxrss.

    VmHWM is the measure: Linux carries ru_maxrss across exec, so wait4's number also counts the pages
    the child shared with this (larger) parent between fork and exec.
    """
    instances_clear()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.sync_child", "--account", account_id, "--region", region],
        cwd=ROOT,
        # The database this process uses right now (under pytest, the test database, not DATABASE_URL's).
        env={**os.environ, "DATABASE_URL": _database_url()},
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    # wait4 gives this child's own rusage, not the maximum over every child this process ever had.
    _, status, rusage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"The sync child failed with exit code {proc.returncode}")
    report = json.loads(output.decode().strip().splitlines()[-1])
    report["ru_maxrss_mib"] = rusage.ru_maxrss / 1024  # Linux reports KiB.
    return report


def sync_profile(*, account: Account, region: str, resync: bool = False, top: int = 25) -> str:
    """cProfile one sync (a full one into an empty table, or with `resync` an unchanged re-sync): the `top`
    functions by own time, and fleetui's functions by cumulative time."""
    import cProfile
    import io
    import pstats

    if not resync:
        instances_clear()
    profiler = cProfile.Profile()
    profiler.runcall(sync_run, account=account, region=region)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats("fleetui/", top)
    return out.getvalue()
