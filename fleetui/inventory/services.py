"""Inventory services (writes): the default account and the sync plan.

Keyword-only, named <thing>_<verb>. AWS errors arrive as fleetui.aws domain errors.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fleetui.aws import AwsError, caller_account_id, regions_list

from .models import Account, QueuedSync, SyncRun
from .sync import RESOURCE_TYPES, account_ref, spec_get
from .sync.runner import syncrun_finish, syncrun_start

DEFAULT_ACCOUNT_NAME = "default"
# The scope (account, "*", "regions") records each region discovery (DescribeRegions) of an account.
REGIONS_RESOURCE = "regions"
ALL_REGIONS = "*"

__all__ = [
    "account_ensure_default",
    "account_ref",
    "sync_queue_clear",
    "sync_queue_mark",
    "sync_scope_due",
    "sync_scopes_plan",
]


def account_ensure_default() -> Account:
    """The Account row of the ambient credentials (sts:GetCallerIdentity), created if missing.

    An existing row with that id is returned as the admin left it (name, role, enabled).
    Raises fleetui.aws.AwsError (e.g. AwsAccessDenied when there are no usable credentials).
    """
    account_id = caller_account_id()
    account, _created = Account.objects.get_or_create(account_id=account_id, defaults={"name": DEFAULT_ACCOUNT_NAME})
    return account


def _regions_of(account: Account, regions: Sequence[str] | None) -> list[str] | None:
    if regions:
        return list(dict.fromkeys(regions))
    if settings.FLEETUI_REGIONS:
        return list(dict.fromkeys(settings.FLEETUI_REGIONS))
    return _regions_discover(account)


def _regions_discover(account: Account) -> list[str] | None:
    """The account's enabled regions, or None when DescribeRegions fails (any fleetui.aws.AwsError).

    Every discovery finishes a SyncRun of the (account, "*", "regions") scope, failed or succeeded, so a
    success clears an earlier failure on the freshness bar. If another planner is discovering the same
    account right now, its run is left to it and this call only reads the regions.
    """
    run = syncrun_start(account=account, region=ALL_REGIONS, resource_type=REGIONS_RESOURCE)
    error = "Internal error: region discovery did not finish."  # kept if something other than AwsError raises
    try:
        found = regions_list(account=account_ref(account))
        run.seen, error = len(found), ""
        return found
    except AwsError as failure:
        error = str(failure)
        return None
    finally:
        if not run.skipped:  # type: ignore[attr-defined]
            syncrun_finish(run, error=error)


def sync_scopes_plan(
    *,
    account_ids: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
    resource_types: Sequence[str] | None = None,
) -> list[tuple[Account, str, str]]:
    """Every scope to sync: enabled accounts (filtered by id or name) x their regions x resource types.

    Regions are `regions`, else FLEETUI_REGIONS, else each account's enabled regions (DescribeRegions).
    A discovery is recorded as a SyncRun (resource type "regions", region "*"): succeeded, or failed
    (AccessDenied, AuthFailure, throttling, endpoint down, ...) and then the account gets no scopes.
    A global type (a catalog, `ResourceSync.is_global`) is planned once per region, with the first account
    (the ambient one first). Raises ValueError for an unknown resource type.
    """
    types = list(resource_types or RESOURCE_TYPES)
    unknown = sorted(set(types) - set(RESOURCE_TYPES))
    if unknown:
        raise ValueError(f"Unknown resource type(s) {', '.join(unknown)}; known: {', '.join(RESOURCE_TYPES)}.")
    types = [name for name in RESOURCE_TYPES if name in types]
    accounts = Account.objects.filter(enabled=True)
    if account_ids:
        accounts = accounts.filter(Q(account_id__in=account_ids) | Q(name__in=account_ids))
    plan: list[tuple[Account, str, str]] = []
    planned_globals: set[tuple[str, str]] = set()
    for account in sorted(accounts, key=lambda a: (not a.is_ambient, a.account_id)):
        for region in _regions_of(account, regions) or []:
            for resource_type in types:
                if spec_get(resource_type).is_global:
                    if (region, resource_type) in planned_globals:
                        continue
                    planned_globals.add((region, resource_type))
                plan.append((account, region, resource_type))
    return plan


def sync_scope_due(*, account: Account, region: str, resource_type: str) -> bool:
    """Whether the periodic sync should queue the scope: always, unless its type syncs only `every` seconds
    (ResourceSync.every) and its last success is younger than that."""
    every = spec_get(resource_type).every
    if not every:
        return True
    since = timezone.now() - timedelta(seconds=every)
    recent = SyncRun.objects.filter(
        account=account, region=region, resource_type=resource_type, status=SyncRun.Status.SUCCEEDED
    ).filter(finished_at__gt=since)
    return not recent.exists()


def sync_queue_mark(*, account: Account, region: str, resource_type: str) -> bool:
    """Mark the scope as queued and return True, or return False when it is already queued or running.

    The mark is a unique row (QueuedSync): of N processes marking one scope at once, one gets True. A mark older
    than FLEETUI_STALE_AFTER is taken to belong to a lost message (a flushed broker) and is replaced, so a scope is
    never left unsynced for longer than the freshness bar takes to show it stale.
    """
    now = timezone.now()
    scope = {"account": account, "region": region, "resource_type": resource_type}
    running_since = now - timedelta(seconds=int(settings.CELERY_TASK_TIME_LIMIT))  # older is a lost worker's
    if SyncRun.objects.filter(**scope, status=SyncRun.Status.RUNNING, started_at__gt=running_since).exists():
        return False
    with transaction.atomic():
        QueuedSync.objects.filter(**scope, queued_at__lt=now - timedelta(seconds=settings.FLEETUI_STALE_AFTER)).delete()
        _mark, created = QueuedSync.objects.get_or_create(**scope, defaults={"queued_at": now})
    return created


def sync_queue_clear(*, account_pk: int, region: str, resource_type: str) -> None:
    """The scope's queued task has started (or was never sent): the next periodic sync may queue it again."""
    QueuedSync.objects.filter(account_id=account_pk, region=region, resource_type=resource_type).delete()
