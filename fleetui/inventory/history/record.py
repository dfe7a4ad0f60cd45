"""The recorder: writes the change records of what the loader adds, changes and marks gone.

The loader calls it around each write, inside one transaction: `lock(keys)` reads the rows about to be written (FOR
UPDATE, in key order, so a full and a targeted sync of the same rows take turns and never deadlock), the loader
upserts, and `record(before, keys)` compares the rows as written with those read before. The comparison is with the
database, not with the loader's digests taken when the run began, so a row another sync already brought up to date
gives no second record, and a row whose only differences are `noise` fields gives none at all.

Each record carries the row's columns as written (a version, see ResourceChange) and closes the resource's previous
version. A row changed before history began for it first gets a `baseline` record of its old values, so `as_of`
before the change still finds it. `baseline_scope` does that for a whole scope when a full sync starts.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ..models import ResourceChange, SyncRun
from .attribution import attribution_match

BASELINE_BATCH = 2000


def _same(old: Any, new: Any) -> bool:
    # As the loader's fingerprint compares: jsonb gives dict keys back in its own order.
    if old == new:
        return True
    return json.dumps(old, sort_keys=True, default=str) == json.dumps(new, sort_keys=True, default=str)


def history_enabled() -> bool:
    return bool(getattr(settings, "FLEETUI_HISTORY", True))


def history_of(resource_type: str, spec: Any, *, sync_run: SyncRun | None = None) -> dict[str, Any] | None:
    """The loader's `history` argument for a sync of `resource_type` (None when FLEETUI_HISTORY is off)."""
    if not history_enabled():
        return None
    return {"resource_type": resource_type, "noise": spec.noise, "sync_run": sync_run}


class Recorder:
    """Records the changes of one model in one scope (an account and region, or the whole table for a catalog)."""

    def __init__(
        self,
        *,
        resource_type: str,
        model: type[models.Model],
        key: str,
        scope: dict[str, Any],
        fields: list[str],
        noise: Collection[str] = (),
        sync_run: SyncRun | None = None,
    ) -> None:
        self.resource_type = resource_type
        self.model = model
        self.key = key
        self.scope = scope
        self.compared = [name for name in fields if name not in set(noise)]
        concrete = model._meta.concrete_fields
        self.attnames = [field.attname for field in concrete]
        self.columns = {field.attname: str(field.column) for field in concrete}
        # A diff names fields as people do (instance_type, not instance_type_id).
        self.names = {field.attname: field.name for field in concrete}
        self.tracks_gone = "gone_at" in self.attnames
        self.account_id: int | None = scope.get("account_id")
        self.region: str = scope.get("region", "")
        self.sync_run = sync_run

    # --- reading rows -------------------------------------------------------------------------------------------

    def _rows(self, keys: Iterable[Any], *, lock: bool = False, by: str = "") -> dict[Any, dict[str, Any]]:
        by = by or self.key
        rows = self.model._default_manager.filter(**self.scope, **{f"{by}__in": list(keys)}).order_by(self.key)
        if lock:
            rows = rows.select_for_update()
        return {row[self.key]: row for row in rows.values(*self.attnames)}

    def lock(self, keys: Iterable[str]) -> dict[Any, dict[str, Any]]:
        """The stored rows of `keys`, locked until the transaction ends: the values before the write."""
        return self._rows(keys, lock=True)

    def lock_pks(self, pks: list[int]) -> dict[Any, dict[str, Any]]:
        """The live rows among `pks`, locked (the sweep's rows before it marks them gone)."""
        return {key: row for key, row in self._rows(pks, lock=True, by="pk").items() if row["gone_at"] is None}

    def _snapshot(self, row: Mapping[str, Any]) -> dict[str, Any]:
        return {self.columns[name]: value for name, value in row.items()}

    def _last_write(self, row: Mapping[str, Any]) -> datetime:
        # When the row's values were last written: last_seen, or the sweep's gone_at when that came later.
        times = [t for t in (row.get("last_seen"), row.get("gone_at")) if t is not None]
        return max(times) if times else timezone.now()

    # --- recording ----------------------------------------------------------------------------------------------

    def record(self, before: Mapping[Any, dict[str, Any]], keys: Iterable[str]) -> int:
        """Record what the write of `keys` added or changed, compared with `before` (from `lock`)."""
        after = self._rows(keys)
        found: list[tuple[Any, str, dict, dict]] = []
        for key, new in after.items():
            old = before.get(key)
            if old is None or (self.tracks_gone and old["gone_at"] is not None):
                found.append((key, ResourceChange.Kind.ADDED, {}, new))
                continue
            diff = {
                self.names[name]: [old[name], new[name]] for name in self.compared if not _same(old[name], new[name])
            }
            if diff:
                found.append((key, ResourceChange.Kind.CHANGED, diff, new))
        return self._write(found, before)

    def record_gone(self, pks: list[int], before: Mapping[Any, dict[str, Any]]) -> int:
        """Record the rows of `pks` the sweep just marked gone."""
        after = self._rows(pks, by="pk")
        return self._write([(key, ResourceChange.Kind.GONE, {}, row) for key, row in after.items()], before)

    def _write(self, found: list[tuple[Any, str, dict, dict]], before: Mapping[Any, dict[str, Any]]) -> int:
        if not found:
            return 0
        at = timezone.now()
        keys = [str(key) for key, *_ in found]
        versions = self._versions(keys)
        open_ids = dict(versions.filter(valid_to__isnull=True).values_list("resource_id", "pk"))
        # A resource seen before history began has no version yet: its old values become one first.
        had_any = set(versions.values_list("resource_id", flat=True).distinct()) if len(open_ids) < len(keys) else set()
        baselines = [
            self._change(str(key), ResourceChange.Kind.BASELINE, {}, before[key], at=self._last_write(before[key]))
            for key, _kind, _diff, _row in found
            if str(key) not in open_ids and str(key) not in had_any and key in before
        ]
        for record in baselines:
            record.valid_to = at
        ResourceChange.objects.filter(pk__in=list(open_ids.values()))._close(at)
        who = attribution_match(
            resource_type=self.resource_type, account_id=self.account_id, region=self.region, ids=keys, at=at
        )
        records = [self._change(str(key), kind, diff, row, at=at) for key, kind, diff, row in found]
        for record in records:
            if (made_by := who.get(record.resource_id)) is not None:
                record.action_id, record.actor = made_by.action_id, made_by.actor
        ResourceChange.objects.bulk_create(baselines + records, batch_size=1000)
        return len(records)

    def _versions(self, keys: list[str]) -> models.QuerySet[ResourceChange]:
        return ResourceChange.objects.filter(
            resource_type=self.resource_type,
            account_id=self.account_id,
            region=self.region,
            resource_id__in=keys,  # type: ignore[misc]
        )

    def _change(self, key: str, kind: str, diff: dict, row: Mapping[str, Any], *, at: datetime) -> ResourceChange:
        return ResourceChange(
            at=at,
            resource_type=self.resource_type,
            account_id=self.account_id,
            region=self.region,
            resource_id=key,
            kind=kind,
            sync_run=self.sync_run,
            diff=diff,
            row=self._snapshot(row),
        )

    def baseline_scope(self) -> int:
        """Give every row of the scope that has no record a `baseline` one (when history begins for it)."""
        recorded = ResourceChange.objects.filter(  # type: ignore[misc]
            resource_type=self.resource_type,
            account_id=self.account_id,
            region=self.region,
            resource_id=OuterRef(self.key),
        )
        rows = self.model._default_manager.filter(**self.scope).filter(~Exists(recorded)).values(*self.attnames)
        pending, written = [], 0
        for row in rows.iterator(chunk_size=BASELINE_BATCH):
            pending.append(
                self._change(str(row[self.key]), ResourceChange.Kind.BASELINE, {}, row, at=self._last_write(row))
            )
            if len(pending) >= BASELINE_BATCH:
                written += len(ResourceChange.objects.bulk_create(pending))
                pending = []
        return written + len(ResourceChange.objects.bulk_create(pending))
