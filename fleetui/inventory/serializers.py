"""Serializers of the sync engine's own rows."""

from rest_framework import serializers

from fleetui.core.fields import Field, api_fields

from .models import Account, ResourceChange, SyncRun

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


def _diff_text(change: ResourceChange) -> str:
    return "; ".join(f"{name}: {pair[0]} -> {pair[1]}" for name, pair in sorted(change.diff.items()))


# The change feed's CSV columns (in this order) and /api/v1/changes/'s fields.
CHANGE_FIELDS = [
    Field("id", csv=False),
    Field("at"),
    Field("resource_type"),
    Field("account_id", "account.account_id"),
    Field("region"),
    Field("resource_id"),
    Field("name"),
    Field("kind"),
    Field("diff", csv=False),
    Field("changes", _diff_text, api=False),
    Field("actor", lambda change: change.actor or "outside fleetui"),
    Field("action_id"),
    Field("sync_run_id"),
]


class ResourceChangeSerializer(serializers.ModelSerializer):
    """One change record. `diff` is {field: [old, new]} for a change; `actor` and `action_id` are empty when the
    change was made outside fleetui."""

    account_id = serializers.CharField(source="account.account_id", read_only=True, allow_null=True, default=None)
    name = serializers.CharField(read_only=True, allow_null=True)
    diff = serializers.JSONField(read_only=True)
    sync_run_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = ResourceChange
        fields = api_fields(CHANGE_FIELDS)
