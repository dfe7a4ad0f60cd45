"""Run one scope: (account, region, resource type) -> get -> transform -> load -> sweep, recorded in a SyncRun.

A scope runs in one process at a time: the SyncRun table's conditional unique constraint lets only one
`running` row exist per scope, so a second worker that picks the same scope skips it. A `running` row
older than the task hard time limit belongs to a worker that died; it is marked failed ("worker
lost") so the scope is never blocked for good.

An AWS failure (AccessDenied/AuthFailure/UnauthorizedOperation/OptInRequired, throttling after the
retries, an unknown region, an endpoint down) marks the run failed with a message a person
understands. Pages already loaded stay (and what is derived from them is recomputed: the spec's `after`), nothing
is swept, and the previous data is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from fleetui.aws import AccountRef, AwsError

from ..history.record import history_of
from ..models import Account, SyncRun
from .load import BulkLoader
from .read_ahead import read_ahead
from .registry import ResourceSync, spec_get

logger = logging.getLogger(__name__)

LOAD_SLICE = 1000
WORKER_LOST = "Worker lost: the run did not finish within the task time limit ({seconds} s)."


def account_ref(account: Account) -> AccountRef:
    """What fleetui.aws needs to reach an account row."""
    return AccountRef(account_id=account.account_id, role_arn=account.role_arn, external_id=account.external_id)


def parent_keys(spec: ResourceSync, scope: dict[str, Any]) -> dict[str, list[str]]:
    """{"parents": the live keys of the spec's parent type in the scope} for a child type's fetcher, else {}."""
    if not spec.parent:
        return {}
    parent = spec_get(spec.parent)
    rows = parent.model._default_manager.filter(**scope, gone_at__isnull=True)
    return {"parents": sorted(rows.values_list(parent.key, flat=True))}


def syncrun_start(*, account: Account, region: str, resource_type: str) -> SyncRun:
    """A new running SyncRun for the scope, or the one already running there with `skipped = True`."""
    now = timezone.now()
    scope = SyncRun.objects.filter(account=account, region=region, resource_type=resource_type)
    limit = int(settings.CELERY_TASK_TIME_LIMIT)
    scope.filter(status=SyncRun.Status.RUNNING, started_at__lt=now - timedelta(seconds=limit)).update(
        status=SyncRun.Status.FAILED, finished_at=now, error=WORKER_LOST.format(seconds=limit)
    )
    for _attempt in range(3):
        try:
            with transaction.atomic():
                run = SyncRun.objects.create(account=account, region=region, resource_type=resource_type)
            run.skipped = False  # type: ignore[attr-defined]
            return run
        except IntegrityError:
            running = scope.filter(status=SyncRun.Status.RUNNING).first()
            if running is not None:
                running.skipped = True  # type: ignore[attr-defined]
                return running
    raise RuntimeError(f"Could not start a sync of {resource_type} in {account.account_id}/{region}.")


def syncrun_finish(run: SyncRun, *, error: str = "") -> SyncRun:
    run.status = SyncRun.Status.FAILED if error else SyncRun.Status.SUCCEEDED
    run.error = error
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at", "seen", "added", "changed", "gone"])
    return run


def after_partial_load(spec: ResourceSync, account: Account, region: str, *, written: int) -> None:
    """A fetch failed after pages were loaded: those rows stay, so recompute what is derived from them (the spec's
    `after`) when any was written. The error is then raised by the caller; nothing is swept."""
    if spec.after is not None and written:
        spec.after(account=account, region=region)


def _get_transform_load(
    spec: ResourceSync, account: Account, region: str, run: SyncRun, on_page: Callable[[SyncRun], None] | None
) -> None:
    scope = {} if spec.is_global else {"account_id": account.pk, "region": region}
    history = history_of(run.resource_type, spec, sync_run=run)
    loader = BulkLoader(spec.model, key=spec.key, scope=scope, now=run.started_at, history=history)
    context = spec.context()
    inputs = spec.inputs(account=account, region=region) if spec.inputs is not None else {}
    pages = spec.fetch(account=account_ref(account), region=region, **parent_keys(spec, scope), **inputs)
    try:
        for page in read_ahead(pages):
            # A page can be large (AWS does not paginate DescribeAddresses, DescribeKeyPairs or
            # DescribePlacementGroups): transform it in slices so only one slice of model objects is alive.
            for start in range(0, len(page), LOAD_SLICE):
                loader.load([spec.transform(raw, context) for raw in page[start : start + LOAD_SLICE]])
            run.seen, run.added, run.changed = len(loader.seen), loader.added, loader.changed
            # Progress for pages that show a running sync; SyncRun is bookkeeping, not inventory data.
            run.save(update_fields=["seen", "added", "changed"])
            if on_page is not None:
                on_page(run)
    except AwsError:
        after_partial_load(spec, account, region, written=loader.added + loader.changed)
        raise
    # Reached only when every page arrived: a failed fetch raised above, before any sweep.
    run.gone = 0 if spec.is_global else loader.sweep()
    if spec.after is not None:
        spec.after(account=account, region=region)


def sync_scope(
    *, account: Account, region: str, resource_type: str, on_page: Callable[[SyncRun], None] | None = None
) -> SyncRun:
    """Sync one (account, region, resource type) in this process and return its finished SyncRun.

    If another process is syncing the scope, returns that running SyncRun with `skipped = True`.
    `on_page(run)` is called after each page with the counts so far (for progress bars).
    """
    spec = spec_get(resource_type)
    run = syncrun_start(account=account, region=region, resource_type=resource_type)
    if run.skipped:  # type: ignore[attr-defined]
        logger.info("Skipping %s: already running (SyncRun %s).", run, run.pk)
        return run
    try:
        _get_transform_load(spec, account, region, run, on_page)
    except AwsError as error:
        logger.warning("Sync of %s in %s/%s failed: %s", resource_type, account.account_id, region, error)
        return syncrun_finish(run, error=str(error))
    except BaseException as error:
        # A bug or a worker shutdown: release the scope, then let the error surface.
        syncrun_finish(run, error=f"Internal error: {type(error).__name__}: {error}")
        raise
    return syncrun_finish(run)
