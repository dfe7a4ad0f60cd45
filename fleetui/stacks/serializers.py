"""Read-only serializers of the CloudFormation inventory for the REST API (like fleetui.core.serializers: the 12-digit
`account_id`, not our row id; querysets select the account)."""

from rest_framework import serializers

from fleetui.core.fields import RESOURCE, api_fields
from fleetui.core.fields import Field as F
from fleetui.core.serializers import ResourceSerializer

from .models import Stack, StackEvent, StackResource, is_finding

STACK_FIELDS = [
    *RESOURCE,
    *map(F, ["name", "stack_id", "status", "status_reason"]),
    F("finding", lambda s: is_finding(s.status)),
    *map(F, ["is_sam", "termination_protection", "drift_status", "drift_checked_at"]),
    F("resource_count", api=False),
    *map(F, ["created_at", "updated_at", "description"]),
    F("transforms", csv=False),
    F("parameters", csv=False),
    F("outputs", csv=False),
    F("parent_id"),
]
RESOURCE_FIELDS = [
    *RESOURCE,
    *map(F, ["stack_name", "stack_id", "logical_id", "physical_id", "resource_type", "status", "status_reason"]),
    *map(F, ["drift_status", "drift_checked_at", "updated_at"]),
]
EVENT_FIELDS = [
    *RESOURCE,
    *map(F, ["stack_name", "stack_id", "timestamp", "logical_id", "physical_id", "resource_type", "status"]),
    F("status_reason"),
    F("event_id"),
]


class StackParameterSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.CharField(help_text="NoEcho parameters come back as ****")


class StackOutputSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = serializers.CharField()
    description = serializers.CharField()
    export = serializers.CharField(help_text="The export name, or empty")


class CloudFormationStackSerializer(ResourceSerializer):
    finding = serializers.SerializerMethodField(help_text="The stack is *_FAILED or *ROLLBACK_*")
    transforms = serializers.ListField(child=serializers.CharField(), read_only=True)
    parameters = StackParameterSerializer(many=True, read_only=True)
    outputs = StackOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Stack
        fields = api_fields(STACK_FIELDS)

    def get_finding(self, stack: Stack) -> bool:
        return stack.is_finding


class CloudFormationStackResourceSerializer(ResourceSerializer):
    class Meta:
        model = StackResource
        fields = api_fields(RESOURCE_FIELDS)


class CloudFormationStackEventSerializer(ResourceSerializer):
    class Meta:
        model = StackEvent
        fields = api_fields(EVENT_FIELDS)
