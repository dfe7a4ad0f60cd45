"""Read-only serializers of the Lambda inventory for the REST API (like fleetui.core.serializers: the 12-digit
`account_id`, not our row id, so output joins with the AWS CLI's; querysets select the account)."""

from rest_framework import serializers

from fleetui.core.fields import RESOURCE, api_fields
from fleetui.core.fields import Field as F
from fleetui.core.serializers import ResourceSerializer

from .models import EventSourceMapping, Function

# What scripts see of each resource (fleetui.core.fields): the CSV columns, in this order, and the API fields.
FUNCTION_FIELDS = [
    *RESOURCE,
    *map(F, ["function_name", "runtime", "architecture", "handler", "package_type", "memory_mb", "timeout_s"]),
    *map(F, ["ephemeral_storage_mb", "code_size", "last_modified", "reserved_concurrency", "state"]),
    *map(F, ["last_update_status", "vpc_id"]),
    F("subnet_ids", lambda f: " ".join(f.subnet_ids)),
    F("security_group_ids", lambda f: " ".join(f.security_group_ids)),
    F("mapping_count", api=False),
    F("version_count", lambda f: len(f.versions), api=False),
    F("alias_names", lambda f: " ".join(a["name"] for a in f.aliases), api=False),
    F("versions", csv=False),
    F("aliases", csv=False),
    *map(F, ["role", "description", "function_arn"]),
    F("last_update_reason", csv=False),
]
EVENT_SOURCE_MAPPING_FIELDS = [
    *RESOURCE,
    *map(F, ["uuid", "function_name", "source_type", "source_name", "state", "state_reason", "batch_size"]),
    *map(F, ["batching_window_s", "starting_position", "last_processing_result", "last_modified"]),
    *map(F, ["event_source_arn", "function_arn"]),
]


class LambdaVersionSerializer(serializers.Serializer):
    version = serializers.CharField()
    description = serializers.CharField()
    last_modified = serializers.CharField()
    code_sha256 = serializers.CharField()


class LambdaAliasSerializer(serializers.Serializer):
    name = serializers.CharField()
    version = serializers.CharField()
    description = serializers.CharField()
    weights = serializers.DictField(child=serializers.FloatField(), help_text="{version: traffic share}")


class LambdaFunctionSerializer(ResourceSerializer):
    subnet_ids = serializers.ListField(child=serializers.CharField(), read_only=True)
    security_group_ids = serializers.ListField(child=serializers.CharField(), read_only=True)
    versions = LambdaVersionSerializer(many=True, read_only=True, help_text="Published versions, newest first")
    aliases = LambdaAliasSerializer(many=True, read_only=True)

    class Meta:
        model = Function
        fields = api_fields(FUNCTION_FIELDS)


class LambdaEventSourceMappingSerializer(ResourceSerializer):
    class Meta:
        model = EventSourceMapping
        fields = api_fields(EVENT_SOURCE_MAPPING_FIELDS)
