"""The sync specs: each service app declares its resource types in its own `sync` module, and the engine
collects them when Django starts (`specs_collect`, from InventoryConfig.ready).

A service's `sync.py` holds `SYNCS = {"resource_type": ResourceSync(...), ...}`. Names are unique across
services; the order of INSTALLED_APPS, then of each `SYNCS`, is the order a foreground sync runs them, so a
type another one reads while it transforms (a catalog) is declared first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.module_loading import module_has_submodule

Transform = Callable[[dict[str, Any], Any], dict[str, Any]]


def _no_context() -> None:
    return None


@dataclass(frozen=True)
class ResourceSync:
    """How one resource type is fetched, transformed and keyed.

    - `fetch(account=AccountRef, region=str, ids=None|list)` yields pages (lists of AWS's dicts); `ids` names only
      those resources (a targeted re-sync), and a global type's fetcher takes no `ids`.
    - `transform(raw, context)` -> the model's synced fields; `context()` is computed once per run (a lookup
      table the transform needs, like the catalog's categories).
    - `key`: the model field that names a resource, unique per account and region.
    - `is_global`: one table for every account and region (a catalog): planned once per region, never swept,
      never re-synced by id.
    - `parent`: the resource type this one is read under (services per cluster, nodegroups per cluster).
      Its fetcher then also takes `parents=[keys]`: the parent type's live keys in the scope. The parent
      is synced first in a foreground sync, and a child is never swept when its parent's list is empty
      because that read failed (the parent's own run would then have failed and kept its rows).
    - `after(account=Account, region=str)`: derived data to recompute once the scope's rows changed (coverage
      over instances and reservations, the overview's rollups). Called after a complete sync of the scope, after a
      targeted re-sync of it that wrote rows, and after a failed one that wrote rows before the error (they stay, so
      what is derived from them must follow); a global type has none.
    - `inputs(account=Account, region=str)` -> extra keyword arguments for the fetcher, read from the inventory
      (the instance types, platforms and tenancies a price table asks AWS about).
    - `every`: seconds between the periodic syncs of the type (0: every periodic sync), for what changes slowly
      and costs calls (a price list, daily). A scope whose last success is younger is not queued; it counts as
      stale on the freshness bar only after `every` + FLEETUI_STALE_AFTER, and not in the "as of" time.
    - `by_id=False`: never re-synced by id (a price table, or a type no action touches): not in TARGETED_TYPES.
    - `noise`: fields whose changes are not changes for the history (a timestamp AWS moves on every read, a
      health check's last time). They are still stored; a row whose only differences are noise gets no record.
    - `compare_by`: the fields `/changes/compare/` counts this type's live rows by at two moments (besides account
      and region); a type without them is not offered there.
    """

    fetch: Callable[..., Iterator[list[dict[str, Any]]]]
    transform: Transform
    model: type[models.Model]
    key: str
    is_global: bool = False
    context: Callable[[], Any] = field(default=_no_context)
    parent: str = ""
    after: Callable[..., object] | None = None
    inputs: Callable[..., dict[str, Any]] | None = None
    every: int = 0
    by_id: bool = True
    noise: tuple[str, ...] = ()
    compare_by: tuple[str, ...] = ()


ENGINE_APP = __name__.partition(".sync.")[0]  # this app's own `sync` package declares no specs

# Filled in place by specs_collect(), so modules that imported these names see every service's types.
SYNCS: dict[str, ResourceSync] = {}
RESOURCE_TYPES: list[str] = []
TARGETED_TYPES: list[str] = []


def specs_collect() -> None:
    """Import every installed app's `sync` module and gather its `SYNCS`. Idempotent."""
    found: dict[str, ResourceSync] = {}
    for app in apps.get_app_configs():
        if app.name == ENGINE_APP or not module_has_submodule(app.module, "sync"):
            continue
        module = import_module(f"{app.name}.sync")
        for name, spec in getattr(module, "SYNCS", {}).items():
            if name in found and found[name] is not spec:
                raise ValueError(f"Resource type {name!r} is declared twice (again by {app.name}).")
            found[name] = spec
    SYNCS.clear()
    SYNCS.update(found)
    RESOURCE_TYPES[:] = list(found)
    TARGETED_TYPES[:] = [name for name, spec in found.items() if not spec.is_global and spec.by_id]


def spec_get(resource_type: str) -> ResourceSync:
    """The spec of a resource type; ValueError names the known ones."""
    try:
        return SYNCS[resource_type]
    except KeyError:
        raise ValueError(f"Unknown resource type {resource_type!r}; known: {', '.join(RESOURCE_TYPES)}.") from None


def rows_by_key(resource_type: str, *, account: Any, region: str, keys: list[str]) -> dict[str, Any]:
    """{key: inventory row} for those of `keys` that are rows of `resource_type` in one account and region, gone
    ones too, with their account read along (a row's `label` and `get_absolute_url()` name and link it)."""
    spec = SYNCS.get(resource_type)
    if spec is None or not keys:
        return {}
    rows = spec.model._default_manager.select_related("account").filter(
        account=account, region=region, **{f"{spec.key}__in": keys}
    )
    return {getattr(row, spec.key): row for row in rows}
