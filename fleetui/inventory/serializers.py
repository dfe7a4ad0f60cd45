"""Serializers of the sync engine's own rows."""

from rest_framework import serializers

from .models import Account, SyncRun


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
        fields = [
            "id",
            "account_id",
            "region",
            "resource_type",
            "status",
            "started_at",
            "finished_at",
            "seen",
            "added",
            "changed",
            "gone",
            "error",
        ]
