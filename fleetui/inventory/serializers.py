"""Serializers of the sync engine's own rows."""

from rest_framework import serializers

from fleetui.core.fields import Field, api_fields

from .models import Account, SyncRun

# The Sync runs page's CSV columns (in this order) and the API's fields.
SYNC_RUN_FIELDS = [
    Field("id", csv=False),
    Field("account_id", "account.account_id"),
    *map(Field, ["region", "resource_type", "status", "started_at", "finished_at", "seen", "added", "changed"]),
    *map(Field, ["gone", "error"]),
]


class AccountSerializer(serializers.ModelSerializer):
    """An account as the API shows it. The ExternalId is left out: it guards AssumeRole, so only admins see it."""

    ambient = serializers.BooleanField(source="is_ambient", read_only=True)

    class Meta:
        model = Account
        fields = ["id", "account_id", "name", "role_arn", "ambient", "enabled", "created_at"]


class SyncRunSerializer(serializers.ModelSerializer):
    account_id = serializers.CharField(source="account.account_id", read_only=True)

    class Meta:
        model = SyncRun
        fields = api_fields(SYNC_RUN_FIELDS)
