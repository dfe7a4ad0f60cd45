"""Inventory sync: get -> transform -> load -> sweep, one scope (account, region, resource type) at a time.

Public contract:
- `RESOURCE_TYPES`: the resource type names, in the order a foreground sync runs them.
- `sync_scope(*, account, region, resource_type)`: runs one scope in this process; returns its SyncRun.
- `account_ref(account)`: the fleetui.aws.AccountRef for an Account row.
"""

from .runner import RESOURCE_TYPES, account_ref, sync_scope

__all__ = ["RESOURCE_TYPES", "account_ref", "sync_scope"]
