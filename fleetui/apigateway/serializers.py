"""Read-only serializers of the API Gateway inventory for the REST API (like fleetui.core.serializers: the 12-digit
`account_id`, not our row id, so output joins with the AWS CLI's; querysets select the account)."""

from rest_framework import serializers

from fleetui.core.fields import RESOURCE, api_fields
from fleetui.core.fields import Field as F
from fleetui.core.serializers import ResourceSerializer

from .models import Api, Deployment, RestApi, Route, Stage

# What scripts see of each resource (fleetui.core.fields): the CSV columns, in this order, and the API fields.
REST_API_FIELDS = [
    *RESOURCE,
    *map(F, ["name", "api_id", "endpoint_type", "api_key_source", "execute_api_disabled"]),
    F("stage_count", api=False),
    F("route_count", api=False),
    *map(F, ["created_at", "description"]),
]
API_FIELDS = [
    *RESOURCE,
    *map(F, ["name", "api_id", "protocol_type", "api_endpoint", "route_selection_expression"]),
    F("execute_api_disabled"),
    F("stage_count", api=False),
    F("route_count", api=False),
    *map(F, ["created_at", "description"]),
]
DEPLOYMENT_FIELDS = [
    *RESOURCE,
    *map(F, ["api_name", "api_id", "deployment_id", "description", "created_at"]),
]
STAGE_FIELDS = [
    *RESOURCE,
    *map(F, ["api_name", "api_id", "api_type", "stage_name", "invoke_url", "description"]),
    *map(F, ["deployment_id", "deployment_description", "deployed_at", "created_at", "updated_at"]),
    *map(F, ["cache_enabled", "cache_size", "tracing_enabled", "auto_deploy"]),
    F("variables", csv=False),
]
ROUTE_FIELDS = [
    *RESOURCE,
    *map(F, ["api_name", "api_id", "api_type", "route", "route_key", "resource_id", "route_id"]),
    *map(F, ["authorization_type", "api_key_required"]),
    *map(F, ["integration_type", "integration_id", "integration_method", "integration_uri"]),
    *map(F, ["connection_type", "connection_id", "function_name", "function_arn", "target_host"]),
]


class ApigatewayRestApiSerializer(ResourceSerializer):
    class Meta:
        model = RestApi
        fields = api_fields(REST_API_FIELDS)


class ApigatewayApiSerializer(ResourceSerializer):
    class Meta:
        model = Api
        fields = api_fields(API_FIELDS)


class ApigatewayDeploymentSerializer(ResourceSerializer):
    class Meta:
        model = Deployment
        fields = api_fields(DEPLOYMENT_FIELDS)


class ApigatewayStageSerializer(ResourceSerializer):
    invoke_url = serializers.CharField(read_only=True, help_text="The stage's default execute-api URL")
    deployment_description = serializers.CharField(read_only=True, allow_null=True, help_text="REST stages")
    deployed_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="When its deployment was made")

    class Meta:
        model = Stage
        fields = api_fields(STAGE_FIELDS)


class ApigatewayRouteSerializer(ResourceSerializer):
    class Meta:
        model = Route
        fields = api_fields(ROUTE_FIELDS)
