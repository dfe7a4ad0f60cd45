"""The sync engine's REST API: accounts, sync runs and the inventory history's changes."""

from fleetui.core.api import InventoryViewSet

from . import selectors
from . import serializers as s
from .history.selectors import change_list


class AccountViewSet(InventoryViewSet):
    selector = selectors.account_list
    serializer_class = s.AccountSerializer
    ordering_fields = ["name", "account_id"]
    ordering = ["name", "account_id"]


class SyncRunViewSet(InventoryViewSet):
    selector = selectors.sync_run_list
    serializer_class = s.SyncRunSerializer
    ordering_fields = ["started_at", "finished_at", "status", "resource_type", "region"]
    ordering = ["-started_at", "-id"]


class ChangeViewSet(InventoryViewSet):
    """The inventory history's change records, newest first, with the /changes/ page's filters (`?actor=outside` for
    the changes made outside fleetui). `as_of` does not apply: a change record is history already."""

    selector = change_list
    serializer_class = s.ResourceChangeSerializer
    ordering_fields = ["at"]
    ordering = ["-at", "-id"]


ROUTES = [
    ("accounts", AccountViewSet, "account"),
    ("sync-runs", SyncRunViewSet, "syncrun"),
    ("changes", ChangeViewSet, "change"),
]
