"""The base of every read-only serializer of a synced resource.

Every synced resource carries `account_id` (the 12-digit AWS id, not our row id) and `region`, so a
script can join API output with the AWS CLI's. Querysets must `select_related("account")` (the
views do): these serializers follow that relation for every row.
"""

from rest_framework import serializers


class ResourceSerializer(serializers.ModelSerializer):
    """Columns every synced resource has."""

    account_id = serializers.CharField(source="account.account_id", read_only=True)
