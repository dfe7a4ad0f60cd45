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

from django.db import connection

from fleetui.inventory.models import Account, Instance, SyncRun

ROOT = Path(__file__).resolve().parent.parent
RESOURCE = "instances"
# The first statement keyword that writes, and the table it writes to (ON CONFLICT ... DO UPDATE SET
# and SELECT ... FOR UPDATE are not matched as a table because "SET"/"OF" is not an inventory table).
WRITE = re.compile(r'\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
BOOKKEEPING = {SyncRun._meta.db_table}


@dataclass
class WriteCounter:
    """Counts rows written to inventory tables (SyncRun bookkeeping excluded), per table and statement kind."""

    rows: Counter = field(default_factory=Counter)
    statements: int = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: dict) -> Any:
        result = execute(sql, params, many, context)
        if not sql.lstrip().upper().startswith("SELECT"):
            for match in WRITE.finditer(sql):
                table = match.group(2)
                if table.startswith("inventory_") and table not in BOOKKEEPING:
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


def instances_clear() -> None:
    """Start from an empty instances table (and no sync history), as a first sync would."""
    with connection.cursor() as cursor:
        for model in (Instance, SyncRun):
            cursor.execute(f"TRUNCATE {connection.ops.quote_name(model._meta.db_table)} CASCADE")


def full_sync_time(*, account: Account, region: str, repeat: int) -> tuple[list[float], SyncRun]:
    """`repeat` timed syncs, each into an empty instances table, after one untimed warm-up run."""
    samples: list[float] = []
    run: SyncRun | None = None
    for attempt in range(repeat + 1):
        instances_clear()
        started = time.perf_counter()
        run = sync_run(account=account, region=region)
        if attempt:
            samples.append(time.perf_counter() - started)
    assert run is not None
    return samples, run


def unchanged_resync(*, account: Account, region: str) -> tuple[WriteCounter, SyncRun, float]:
    """A sync right after a complete one, with nothing changed in AWS. Returns its writes, run and seconds."""
    counter = WriteCounter()
    started = time.perf_counter()
    with connection.execute_wrapper(counter):
        run = sync_run(account=account, region=region)
    return counter, run, time.perf_counter() - started


def sync_peak_rss(*, account_id: str, region: str) -> dict:
    """Run one full sync in a child process; its peak RSS (MiB) from wait4's rusage and its own VmHWM."""
    instances_clear()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.sync_child", "--account", account_id, "--region", region],
        cwd=ROOT,
        env={**os.environ},
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


def sync_profile(*, account: Account, region: str, top: int = 30) -> str:
    """cProfile one full sync into an empty table; the `top` functions by cumulative time."""
    import cProfile
    import io
    import pstats

    instances_clear()
    profiler = cProfile.Profile()
    profiler.runcall(sync_run, account=account, region=region)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()
