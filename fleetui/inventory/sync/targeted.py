"""Targeted re-sync: after an action, refresh only the resources it touched, not the whole scope.

`sync_ids` runs get -> transform -> load for the named ids of one (account, region, resource type), then
marks as gone the named ids AWS no longer returns (a deleted key pair, a released Elastic IP, a
deregistered image, a deleted placement group, an instance terminated long enough ago that AWS forgot it).
Nothing else in the scope is read or written: the database work is one read of the named rows, one upsert
per chunk of changed rows and one update for the gone ones, however large the scope.

It is not a full sync, so it records no SyncRun and takes no scope lock; a full sync of the same scope may
run at the same time. That is safe because the loader only writes rows it saw and only sweeps rows it had
read: a full sync never sweeps a row a targeted sync added after the full sync began, and a row the targeted
sync marked gone stays gone unless the full sync's own fetch still returned it.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone

from fleetui.aws import AwsError

from ..history.record import history_of
from ..models import Account
from .load import BulkLoader, Stored, fingerprint
from .registry import SYNCS, TARGETED_TYPES
from .runner import LOAD_SLICE, account_ref, after_partial_load, parent_keys


@dataclass(frozen=True)
class TargetedResult:
    """What one targeted re-sync did: ids AWS returned, rows inserted, rows updated, rows marked gone."""

    seen: int = 0
    added: int = 0
    changed: int = 0
    gone: int = 0


class KeyedLoader(BulkLoader):
    """A BulkLoader that reads only the stored rows whose key is one of `keys`, not the whole scope.

    Its `sweep()` therefore marks gone only those of `keys` that no page held.
    """

    def __init__(
        self,
        model: type[models.Model],
        *,
        key: str,
        scope: dict[str, Any],
        now: datetime,
        keys: Collection[str],
        history: dict[str, Any] | None = None,
    ) -> None:
        self.keys = keys
        super().__init__(model, key=key, scope=scope, now=now, history=history)

    def _read_stored(self) -> dict[str, Stored]:
        gone = "gone_at" if self.tracks_gone else "pk"
        rows = self.model._default_manager.filter(**self.scope, **{f"{self.key}__in": list(self.keys)})
        key_index = self.fields.index(self.key)
        stored = {}
        for pk, gone_at, *values in rows.values_list("pk", gone, *self.fields):
            stored[values[key_index]] = Stored(pk, gone_at if self.tracks_gone else None, fingerprint(tuple(values)))
        return stored


def sync_ids(*, account: Account, region: str, resource_type: str, ids: Sequence[str]) -> TargetedResult:
    """Re-sync only `ids` of one scope and return the counts. `ids` are the spec's key values (the ids an
    action names its targets by).

    Rows AWS returns are upserted with the full sync's transform (a row that was gone comes back with
    `gone_at` cleared); named ids AWS does not return are marked gone. AWS errors (fleetui.aws.AwsError:
    access denied, throttled after retries, endpoint down) propagate; pages loaded before the error stay (and
    the spec's `after` follows them), and nothing is marked gone. Raises ValueError for an unknown or global
    (catalog) resource type.
    """
    if resource_type not in TARGETED_TYPES:
        raise ValueError(f"Cannot re-sync {resource_type!r} by id; known: {', '.join(TARGETED_TYPES)}.")
    wanted = set(ids)
    if not wanted:
        return TargetedResult()
    spec = SYNCS[resource_type]
    scope = {"account_id": account.pk, "region": region}
    history = history_of(resource_type, spec)
    loader = KeyedLoader(spec.model, key=spec.key, scope=scope, now=timezone.now(), keys=wanted, history=history)
    context = spec.context()
    pages = spec.fetch(account=account_ref(account), region=region, ids=sorted(wanted), **parent_keys(spec, scope))
    try:
        for page in pages:
            rows = (spec.transform(raw, context) for raw in page)
            # A filter value may hold AWS wildcards (`*`, `?` are legal in key and group names): keep only
            # the rows that were asked for, so nothing outside `ids` is ever written.
            wanted_rows = [row for row in rows if row[spec.key] in wanted]
            for start in range(0, len(wanted_rows), LOAD_SLICE):
                loader.load(wanted_rows[start : start + LOAD_SLICE])
    except AwsError:
        after_partial_load(spec, account, region, written=loader.added + loader.changed)
        raise
    # Reached only after every page arrived: a failed fetch raised above, before anything is marked gone.
    gone = loader.sweep()
    if spec.after is not None and (loader.added or loader.changed or gone):
        spec.after(account=account, region=region)
    return TargetedResult(seen=len(loader.seen), added=loader.added, changed=loader.changed, gone=gone)
