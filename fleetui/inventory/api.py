"""The sync engine's REST API: accounts and sync runs."""

from fleetui.core.api import InventoryViewSet

from . import selectors
from . import serializers as s


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


ROUTES = [
    ("accounts", AccountViewSet, "account"),
    ("sync-runs", SyncRunViewSet, "syncrun"),
]
