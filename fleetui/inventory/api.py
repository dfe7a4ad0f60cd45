"""The sync engine's REST API: accounts and sync runs."""

from fleetui.core.api import InventoryViewSet

from . import serializers as s
from .filters import AccountFilterSet, SyncRunFilterSet
from .models import Account, SyncRun


class AccountViewSet(InventoryViewSet):
    model = Account
    related = ()
    serializer_class = s.AccountSerializer
    filterset_class = AccountFilterSet
    ordering_fields = ["name", "account_id"]
    ordering = ["name", "account_id"]


class SyncRunViewSet(InventoryViewSet):
    model = SyncRun
    serializer_class = s.SyncRunSerializer
    filterset_class = SyncRunFilterSet
    ordering_fields = ["started_at", "finished_at", "status", "resource_type", "region"]
    ordering = ["-started_at", "-id"]


ROUTES = [
    ("accounts", AccountViewSet, "account"),
    ("sync-runs", SyncRunViewSet, "syncrun"),
]
