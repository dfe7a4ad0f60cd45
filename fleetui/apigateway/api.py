"""The API Gateway inventory in the read-only REST API (/api/v1/apigateway/...), read through the pages' selectors.

Same rules as fleetui.core.api (InventoryViewSet): token or session, any role; GET only (405 otherwise); an invalid
filter is a 400 naming the field.
"""

from fleetui.core.api import InventoryViewSet

from . import selectors
from . import serializers as s


class RestApiViewSet(InventoryViewSet):
    """REST APIs (API Gateway v1). Filters: `account`, `region`, `api` (name), `endpoint_type` (EDGE, REGIONAL,
    PRIVATE), `tag`, `q`, `gone`."""

    selector = selectors.rest_api_list
    serializer_class = s.ApigatewayRestApiSerializer
    ordering_fields = ["name", "region", "endpoint_type", "created_at"]
    ordering = ["name", "id"]


class ApiViewSet(InventoryViewSet):
    """HTTP and WebSocket APIs (API Gateway v2). Filters: `account`, `region`, `api` (name), `protocol` (HTTP,
    WEBSOCKET), `tag`, `q`, `gone`."""

    selector = selectors.api_list
    serializer_class = s.ApigatewayApiSerializer
    ordering_fields = ["name", "region", "protocol_type", "created_at"]
    ordering = ["name", "id"]


class DeploymentViewSet(InventoryViewSet):
    """REST APIs' deployments. Filters: `account`, `region`, `api` (name), `api_id`, `q`, `gone`."""

    selector = selectors.deployment_list
    serializer_class = s.ApigatewayDeploymentSerializer
    ordering_fields = ["api_name", "region", "created_at"]
    ordering = ["api_name", "-created_at", "id"]


class StageViewSet(InventoryViewSet):
    """Stages of every API of both kinds. Filters: `account`, `region`, `api` (name), `api_id`, `api_type` (REST,
    HTTP, WEBSOCKET), `stage`, `tracing`, `cache` (true or false), `q`, `gone`."""

    selector = selectors.stage_list
    serializer_class = s.ApigatewayStageSerializer
    ordering_fields = ["api_name", "stage_name", "region", "api_type", "deployed_at", "updated_at"]
    ordering = ["api_name", "stage_name", "id"]


class RouteViewSet(InventoryViewSet):
    """Routes: REST APIs' methods ("GET /orders") and v2 APIs' routes, each with its integration and target (the
    Lambda function's unqualified ARN and name, an HTTP URI and its host, a VPC link). Filters: `account`, `region`,
    `api`, `api_id`, `api_type`, `integration_type` (AWS_PROXY, AWS, HTTP_PROXY, HTTP, MOCK), `function` (name),
    `connection_type` (INTERNET, VPC_LINK), `q`, `gone`."""

    selector = selectors.route_list
    serializer_class = s.ApigatewayRouteSerializer
    ordering_fields = ["api_name", "route", "region", "integration_type", "function_name"]
    ordering = ["api_name", "route", "id"]


ROUTES = [
    ("apigateway/rest-apis", RestApiViewSet, "apigatewayrestapi"),
    ("apigateway/apis", ApiViewSet, "apigatewayapi"),
    ("apigateway/deployments", DeploymentViewSet, "apigatewaydeployment"),
    ("apigateway/stages", StageViewSet, "apigatewaystage"),
    ("apigateway/routes", RouteViewSet, "apigatewayroute"),
]
