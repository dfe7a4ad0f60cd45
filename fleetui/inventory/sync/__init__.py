"""Inventory sync: get -> transform -> load -> sweep, one scope (account, region, resource type) at a time.

Public contract:
- `ResourceSync`: what a service app declares per resource type, in `SYNCS` of its own `sync` module.
- `RESOURCE_TYPES`: every service's resource type names, in the order a foreground sync runs them.
- `sync_scope(*, account, region, resource_type)`: runs one scope in this process; returns its SyncRun.
- `account_ref(account)`: the fleetui.aws.AccountRef for an Account row.
- `rows_by_key(resource_type, *, account, region, keys)`: {key: row} of any service's type, to name and link rows.
- `sync_ids(*, account, region, resource_type, ids)`: re-syncs only the named ids of one scope (after an
  action); returns a `TargetedResult` (seen, added, changed, gone). `TARGETED_TYPES` lists the types it takes.
"""

from .registry import RESOURCE_TYPES, TARGETED_TYPES, ResourceSync, rows_by_key, spec_get
from .runner import account_ref, sync_scope
from .targeted import TargetedResult, sync_ids

__all__ = [
    "RESOURCE_TYPES",
    "TARGETED_TYPES",
    "ResourceSync",
    "TargetedResult",
    "account_ref",
    "rows_by_key",
    "spec_get",
    "sync_ids",
    "sync_scope",
]
