"""The recorder: writes the change records of what the loader adds, changes and marks gone.

The loader calls it around each write, inside one transaction: `lock(keys)` reads the rows about to be written (FOR
UPDATE, in key order, so a full and a targeted sync of the same rows take turns and never deadlock), the loader
upserts, and `record(before, keys)` compares the rows as written with those read before. The comparison is with the
database, not with the loader's digests taken when the run began, so a row another sync already brought up to date
gives no second record, and a row whose only differences are `noise` fields gives none at all.

A record is a diff, not a version (see ResourceChange): `diff` names the compared fields that changed (old and new,
for people), `before` holds every column the write changed with its old value (for `as_of`, which rolls the live row
back), null for a resource seen for the first time. The cost is proportional to the rows written, never to the scope:
no baseline, no earlier record read or closed, one attribution query and one INSERT per chunk with changes.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..models import ResourceChange, SyncRun
from .attribution import attribution_match


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


def name_of(row: Mapping[str, Any]) -> str:
    """The resource's name for the feed: its `name` column, else its Name tag."""
    tags = row.get("tags")
    name = row.get("name") or (tags.get("Name") if isinstance(tags, dict) else "") or ""
    return str(name)[:256]


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

    def _before(self, old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> dict[str, Any] | None:
        """{column: old value} for every column the write changed (noise and bookkeeping too); None if new."""
        if old is None:
            return None
        return {self.columns[name]: old[name] for name in self.attnames if not _same(old[name], new[name])}

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
        who = attribution_match(
            resource_type=self.resource_type,
            account_id=self.account_id,
            region=self.region,
            ids=[str(key) for key, *_ in found],
            at=at,
        )
        records = []
        for key, kind, diff, row in found:
            made_by = who.get(str(key))
            records.append(
                ResourceChange(
                    at=at,
                    resource_type=self.resource_type,
                    account_id=self.account_id,
                    region=self.region,
                    resource_id=str(key),
                    row_id=row["id"],
                    name=name_of(row),
                    kind=kind,
                    sync_run=self.sync_run,
                    diff=diff,
                    before=self._before(before.get(key), row),
                    action_id=made_by.action_id if made_by else None,
                    actor=made_by.actor if made_by else "",
                )
            )
        ResourceChange.objects.bulk_create(records, batch_size=1000)
        return len(records)
