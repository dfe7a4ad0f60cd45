"""Reads of the sync engine's rows: accounts, sync runs, and how fresh the inventory is."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from fleetui.core.selectors import Selector

from .filters import AccountFilterSet, SyncRunFilterSet
from .models import Account, SyncRun
from .scope_status import ScopeRuns, scope_runs_list
from .sync.registry import SYNCS


def _accounts() -> QuerySet[Account]:
    """Every account, enabled first."""
    return Account.objects.order_by("-enabled", "name")


sync_run_list = Selector(SyncRunFilterSet, lambda: SyncRun.objects.select_related("account"))  # newest first
account_list = Selector(AccountFilterSet, _accounts)


# --- Freshness -------------------------------------------------------------------------------------------------


@dataclass
class Freshness:
    """How fresh the inventory is: `as_of` is the oldest of the scopes' latest successful syncs."""

    as_of: dt.datetime | None
    newest: dt.datetime | None
    scopes: int
    failed_scopes: int
    stale: bool
    scope_statuses: list[ScopeRuns]

    @property
    def warning(self) -> bool:
        return self.stale or self.failed_scopes > 0 or self.as_of is None


# A discovered region's scope with no run for this long is forgotten: a region that discovery stopped
# returning shows as stale (and its last failure as failed) for a day, or 24 x FLEETUI_STALE_AFTER if
# that is longer, then drops out. Configured regions (FLEETUI_REGIONS) are never forgotten this way.
RETENTION_STALE_PERIODS = 24
MIN_RETENTION = dt.timedelta(days=1)


def _planned(statuses: list[ScopeRuns], *, now: dt.datetime) -> list[ScopeRuns]:
    """The scopes a sync still plans, judged from their history alone (no AWS call, no query).

    With settings.FLEETUI_REGIONS set, only scopes in those regions: a region removed from it, and the
    ("*", "regions") discovery scope of an earlier, unconfigured setup, no longer count. Otherwise regions
    are discovered, so a scope whose latest finished run is older than the retention (see
    RETENTION_STALE_PERIODS) is dropped; a scope that has only a running run is kept.
    """
    configured = set(settings.FLEETUI_REGIONS)
    if configured:
        return [s for s in statuses if s.region in configured]
    retention = max(MIN_RETENTION, dt.timedelta(seconds=RETENTION_STALE_PERIODS * settings.FLEETUI_STALE_AFTER))
    return [s for s in statuses if s.last_finished is None or now - s.last_finished <= retention]


def sync_freshness(*, now: dt.datetime | None = None) -> Freshness:
    """The freshness of the whole inventory, in one query over enabled accounts' SyncRuns.

    A scope is (account, region, resource type). The data is stale when some scope's latest success is
    older than settings.FLEETUI_STALE_AFTER seconds (or it never succeeded); a scope failed when its
    latest finished run did not succeed. Running syncs are ignored until they finish. Only scopes that
    are still planned count (`_planned`): disabled or deleted accounts, regions no longer in
    FLEETUI_REGIONS, and discovered regions with no run for a day (RETENTION_STALE_PERIODS) are
    ignored. Region discovery is a scope too: (account, "*", "regions"). The cost follows the number of
    scopes, not the length of the history (see scope_status.py).
    """
    now = now or timezone.now()
    scopes = _planned(scope_runs_list(enabled_only=True), now=now)
    statuses = [s for s in scopes if s.last_finished is not None]
    limit = dt.timedelta(seconds=settings.FLEETUI_STALE_AFTER)
    # A type synced only every so often (a daily price list) is stale after its own period, and stays out of "as of".
    slow = {s: dt.timedelta(seconds=_every(s.resource_type)) for s in statuses if _every(s.resource_type)}
    successes = [s.last_success for s in statuses if s.last_success and s not in slow]
    never = any(s.last_success is None for s in statuses)
    as_of = min(successes, default=None)
    slow_stale = any(s.last_success and now - s.last_success > period + limit for s, period in slow.items())
    return Freshness(
        as_of=as_of,
        newest=max(successes, default=None),
        scopes=len(statuses),
        failed_scopes=sum(s.failed for s in statuses),
        stale=never or slow_stale or as_of is None or now - as_of > limit,
        scope_statuses=statuses,
    )


def _every(resource_type: str) -> int:
    """ResourceSync.every of a type (0 for region discovery and types no longer declared)."""
    spec = SYNCS.get(resource_type)
    return spec.every if spec is not None else 0


def sync_status_matrix(*, now: dt.datetime | None = None) -> dict[int, list[SyncRun]]:
    """The latest run of each still planned scope (any status; see `_planned`), grouped by account row id.

    Disabled accounts keep their grid, so an admin sees how they last synced. Two queries.
    """
    scopes = _planned(scope_runs_list(enabled_only=False), now=now or timezone.now())
    ids = [s.latest_run_id for s in scopes if s.latest_run_id]
    matrix: dict[int, list[SyncRun]] = {}
    for run in SyncRun.objects.filter(pk__in=ids).order_by("region", "resource_type"):
        matrix.setdefault(run.account_id, []).append(run)
    return matrix
