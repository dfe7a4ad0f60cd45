"""The one bulk loader for every synced model: write only what changed, then sweep what was not seen.

For one scope (an account and region for AwsResource models; the whole table for the global catalog)
the loader reads the stored rows once, then takes pages of transformed rows:

- a key it has not stored is inserted;
- a key whose values differ from the stored ones, or that was marked gone, is updated (and its
  `gone_at` cleared);
- an unchanged key is not written at all, so a re-sync of an unchanged fleet writes 0 rows.

Inserts and updates go out as one `INSERT ... ON CONFLICT DO UPDATE` per chunk of rows, ordered by key, so
two workers upserting the shared catalog at once neither fail nor deadlock. `sweep()` marks the
scope's rows that no page contained as gone; call it only after a complete fetch.

With a `history` recorder (fleetui.inventory.history), each write and its change records are one transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from django.db import models, transaction

from ..history.record import Recorder

BATCH_SIZE = 1000
BOOKKEEPING = {"id", "first_seen", "last_seen", "gone_at"}


def fingerprint(values: tuple[Any, ...]) -> bytes:
    """A 16-byte digest of a row's values. Stored rows are kept as digests, not values, so memory stays
    small at 100k rows. Keys are sorted because PostgreSQL's jsonb gives dict keys back in its own order."""
    text = json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class Stored(NamedTuple):
    pk: int
    gone_at: datetime | None
    digest: bytes


class BulkLoader:
    """Loads transformed rows of one model into one scope. Not thread-safe: one loader per sync run."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        key: str,
        scope: dict[str, Any],
        now: datetime,
        history: dict[str, Any] | None = None,
    ) -> None:
        """`history`: the Recorder's own arguments (resource_type, noise, sync_run), or None to record nothing."""
        self.model = model
        self.key = key
        self.scope = scope
        self.now = now
        attnames = [field.attname for field in model._meta.concrete_fields]
        self.tracks_gone = "gone_at" in attnames
        self.has_first_seen = "first_seen" in attnames
        derived = set(getattr(model, "DERIVED_FIELDS", ()))  # computed after the sync, never from AWS's answer
        self.fields = [
            name for name in attnames if name not in BOOKKEEPING and name not in scope and name not in derived
        ]
        self.recorder = Recorder(model=model, key=key, scope=scope, fields=self.fields, **history) if history else None
        self.stored = self._read_stored()
        self.seen: set[str] = set()
        self.added = 0
        self.changed = 0

    def _read_stored(self) -> dict[str, Stored]:
        gone = "gone_at" if self.tracks_gone else "pk"
        rows = self.model._default_manager.filter(**self.scope).values_list("pk", gone, *self.fields)
        key_index = self.fields.index(self.key)
        stored = {}
        for pk, gone_at, *values in rows.iterator(chunk_size=2000):
            stored[values[key_index]] = Stored(pk, gone_at if self.tracks_gone else None, fingerprint(tuple(values)))
        return stored

    def load(self, rows: Iterable[dict[str, Any]]) -> None:
        """Store one page. Rows must carry exactly `self.fields`; a key repeated within the run is ignored."""
        to_write = []
        for row in rows:
            key = row[self.key]
            if key in self.seen:
                continue
            self.seen.add(key)
            found = self.stored.get(key)
            if found is None:
                self.added += 1
            elif found.gone_at is not None or found.digest != fingerprint(tuple(row[name] for name in self.fields)):
                self.changed += 1
            else:
                continue
            to_write.append(self._instance(row, new=found is None))
        self._write(sorted(to_write, key=lambda obj: getattr(obj, self.key)))

    def _instance(self, row: dict[str, Any], *, new: bool) -> models.Model:
        stamps: dict[str, Any] = {"last_seen": self.now}
        if self.tracks_gone:
            stamps["gone_at"] = None
        if self.has_first_seen:
            stamps["first_seen"] = self.now
        return self.model(**self.scope, **row, **stamps)

    def _write(self, objs: list[models.Model]) -> None:
        if not objs:
            return
        unique = [*self.scope, self.key]
        # first_seen is only written by the INSERT: a conflict keeps the stored one.
        update = [*self.fields, "last_seen", *(["gone_at"] if self.tracks_gone else [])]
        update = [name for name in update if name not in unique]
        if self.recorder is None:
            self._upsert(objs, unique, update)
            return
        for start in range(0, len(objs), BATCH_SIZE):
            chunk = objs[start : start + BATCH_SIZE]
            keys = [getattr(obj, self.key) for obj in chunk]
            with transaction.atomic():
                before = self.recorder.lock(keys)
                self._upsert(chunk, unique, update)
                self.recorder.record(before, keys)

    def _upsert(self, objs: list[models.Model], unique: list[str], update: list[str]) -> None:
        self.model._default_manager.bulk_create(
            objs, batch_size=BATCH_SIZE, update_conflicts=True, unique_fields=unique, update_fields=update
        )

    def sweep(self) -> int:
        """Mark stored rows that no page held as gone (call only after a complete fetch). Returns how many."""
        if not self.tracks_gone:
            return 0
        missing = [s.pk for key, s in self.stored.items() if key not in self.seen and s.gone_at is None]
        for start in range(0, len(missing), BATCH_SIZE):
            chunk = missing[start : start + BATCH_SIZE]
            with transaction.atomic():
                rows = self.model._default_manager.filter(pk__in=chunk)
                if self.recorder is None:
                    rows.update(gone_at=self.now)
                    continue
                # Only rows still live when locked: a targeted sync may have marked one gone meanwhile.
                before = self.recorder.lock_pks(chunk)
                rows.filter(pk__in=[row["id"] for row in before.values()]).update(gone_at=self.now)
                self.recorder.record_gone([row["id"] for row in before.values()], before)
        return len(missing)
