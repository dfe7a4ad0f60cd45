"""`manage.py sync_inventory [--account A] [--region R] [--resource T]`: sync in the foreground, now.

Runs every planned scope in this process (no broker, no worker), one line per scope with its
counts and an overall progress bar, then a summary table. Exits 1 if any scope failed.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from fleetui.aws import AwsError
from fleetui.inventory.models import SyncRun
from fleetui.inventory.services import account_ensure_default, sync_scopes_plan
from fleetui.inventory.sync import RESOURCE_TYPES, sync_scope

BAR_WIDTH = 30


def progress_bar(done: int, total: int) -> str:
    filled = BAR_WIDTH * done // max(total, 1)
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}"


class Command(BaseCommand):
    help = "Sync the inventory now, in the foreground, and exit non-zero if any scope failed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--account", action="append", help="Account id or name (repeatable). Default: all.")
        parser.add_argument("--region", action="append", help="Region (repeatable). Default: FLEETUI_REGIONS.")
        parser.add_argument(
            "--resource", action="append", choices=RESOURCE_TYPES, help="Resource type (repeatable). Default: all."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = timezone.now()
        try:
            account_ensure_default()
        except AwsError as error:
            self.stderr.write(self.style.WARNING(f"The ambient credentials cannot be used: {error}"))
        plan = sync_scopes_plan(
            account_ids=options["account"], regions=options["region"], resource_types=options["resource"]
        )
        discovery = list(
            SyncRun.objects.filter(resource_type="regions", started_at__gte=started).select_related("account")
        )
        for run in discovery:
            self.stderr.write(self.style.ERROR(f"{run.account.account_id}: cannot list regions: {run.error}"))
        if not plan and not discovery:
            raise CommandError("Nothing to sync: no enabled account matches (add one, or check the credentials).")
        runs = [self._sync_one(index, len(plan), *scope) for index, scope in enumerate(plan, start=1)]
        self._summary(runs)
        failed = sum(run.status == SyncRun.Status.FAILED for run, _ in runs) + len(discovery)
        if failed:
            raise CommandError(f"{failed} scope(s) failed; the previous data of those scopes is kept.")
        self.stdout.write(self.style.SUCCESS(f"All {len(runs)} scopes synced."))

    def _sync_one(self, index: int, total: int, account: Any, region: str, resource_type: str) -> tuple[SyncRun, float]:
        label = f"{account.account_id} {region} {resource_type}"
        began = time.monotonic()

        pages = [0]

        def on_page(run: SyncRun) -> None:
            # A scope of one page is reported by its summary line alone; long ones show progress per page.
            pages[0] += 1
            if pages[0] > 1:
                self.stdout.write(f"  {label}: page {pages[0]}, {run.seen} seen so far")

        run = sync_scope(account=account, region=region, resource_type=resource_type, on_page=on_page)
        seconds = time.monotonic() - began
        if getattr(run, "skipped", False):
            outcome = self.style.WARNING("skipped (already running elsewhere)")
        elif run.status == SyncRun.Status.FAILED:
            outcome = self.style.ERROR(f"FAILED: {run.error}")
        else:
            outcome = f"ok seen={run.seen} added={run.added} changed={run.changed} gone={run.gone}"
        self.stdout.write(f"{progress_bar(index, total)} {label} {outcome} ({seconds:.1f}s)")
        return run, seconds

    def _summary(self, runs: list[tuple[SyncRun, float]]) -> None:
        header = ("account", "region", "resource", "status", "seen", "added", "changed", "gone", "secs")
        rows: list[tuple[str, ...]] = [header]
        for run, seconds in runs:
            status = "skipped" if getattr(run, "skipped", False) else run.status
            counts = (run.seen, run.added, run.changed, run.gone)
            rows.append(
                (run.account.account_id, run.region, run.resource_type, status, *map(str, counts), f"{seconds:.1f}")
            )
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
        self.stdout.write("")
        for row in rows:
            self.stdout.write("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
