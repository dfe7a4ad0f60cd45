"""Celery tasks for the inventory. Each scope is its own task, so workers on many machines share a sync."""

from __future__ import annotations

import logging
from dataclasses import asdict

from celery import shared_task

from fleetui.aws import AwsError

from .models import Account
from .services import account_ensure_default, sync_queue_clear, sync_queue_mark, sync_scope_due, sync_scopes_plan
from .sync import TargetedResult, sync_ids, sync_scope

logger = logging.getLogger(__name__)


@shared_task(name="inventory.sync_scope")
def sync_scope_task(account_pk: int, region: str, resource_type: str) -> str:
    """Sync one scope; returns the SyncRun status ("skipped" if another worker holds the scope)."""
    sync_queue_clear(account_pk=account_pk, region=region, resource_type=resource_type)
    account = Account.objects.filter(pk=account_pk, enabled=True).first()
    if account is None:
        logger.info("Account %s is gone or disabled; nothing to sync.", account_pk)
        return "skipped"
    run = sync_scope(account=account, region=region, resource_type=resource_type)
    return "skipped" if getattr(run, "skipped", False) else str(run.status)


@shared_task(name="inventory.sync_ids")
def sync_ids_task(account_pk: int, region: str, resource_type: str, ids: list[str]) -> dict:
    """Re-sync only `ids` of one scope after an action; returns {"seen", "added", "changed", "gone"}.

    A gone or disabled account syncs nothing (all counts 0). An AWS error fails the task (it propagates), so
    the caller sees it; the inventory keeps what it had.
    """
    account = Account.objects.filter(pk=account_pk, enabled=True).first()
    if account is None:
        logger.info("Account %s is gone or disabled; nothing to re-sync.", account_pk)
        return asdict(TargetedResult())
    result = sync_ids(account=account, region=region, resource_type=resource_type, ids=ids)
    return asdict(result)


@shared_task(name="inventory.sync_all")
def sync_all_task() -> int:
    """Queue one sync_scope task per planned scope that is neither queued nor running (the periodic sync);
    returns how many were queued."""
    try:
        account_ensure_default()
    except AwsError as error:
        # Assume-role accounts may still be reachable; their scopes go ahead.
        logger.warning("The ambient credentials cannot be used: %s", error)
    queued = 0
    for account, region, resource_type in sync_scopes_plan():
        if not sync_scope_due(account=account, region=region, resource_type=resource_type):
            continue  # a slow type (a daily price list) synced recently enough
        if not sync_queue_mark(account=account, region=region, resource_type=resource_type):
            continue
        try:
            sync_scope_task.delay(account.pk, region, resource_type)
        except BaseException:
            sync_queue_clear(account_pk=account.pk, region=region, resource_type=resource_type)  # never sent
            raise
        queued += 1
    return queued


@shared_task(name="inventory.history_prune")
def history_prune_task() -> int:
    """Retention of the change records (beat, hourly); returns how many were deleted."""
    from .history.prune import history_prune

    return history_prune()
