"""REST shapes of actions: the record (GET) and the request (POST)."""

from __future__ import annotations

from rest_framework import serializers

from .models import Action, ActionLogEntry


class ActionLogEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionLogEntry
        fields = ["at", "level", "message"]


class ActionSerializer(serializers.ModelSerializer):
    account = serializers.CharField(source="account.account_id", read_only=True)
    requested_by = serializers.CharField(source="requested_by.username", read_only=True)
    log = ActionLogEntrySerializer(many=True, read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:action-detail")

    class Meta:
        model = Action
        fields = [
            "id",
            "url",
            "kind",
            "account",
            "region",
            "targets",
            "params",
            "reason",
            "requested_by",
            "status",
            "progress",
            "step",
            "result",
            "error",
            "task_id",
            "created_at",
            "started_at",
            "finished_at",
            "deliveries",
            "cancel_requested",
            "parent",
            "log",
        ]
        read_only_fields = fields


class ActionListSerializer(ActionSerializer):
    class Meta(ActionSerializer.Meta):
        fields = [f for f in ActionSerializer.Meta.fields if f != "log"]
        read_only_fields = fields


class ActionRequestSerializer(serializers.Serializer):
    """`{"kind", "targets", "params", "reason"}`, plus `account` and `region` unless the targets are instances
    the inventory knows (then they are taken from there), and `confirm`: the text a kind asks to be typed (the
    target count for a destructive action on more than one target; a refusal names it). Send an `Idempotency-Key`
    header to make retries safe."""

    kind = serializers.CharField(help_text="An action kind, `<service>.<verb>` (the list's `kind` filter names them).")
    account = serializers.CharField(required=False, allow_blank=True, help_text="12-digit account id.")
    region = serializers.CharField(required=False, allow_blank=True)
    targets = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    params = serializers.DictField(required=False, default=dict)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    confirm = serializers.CharField(required=False, allow_blank=True, default="")
