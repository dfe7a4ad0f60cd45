"""FilterSets of the API Gateway inventory: the pages, their CSV exports and the API filter through the same classes.

Like every service's (fleetui.core.filters): rows a sync no longer saw are hidden unless `?gone=true`, and an
invalid value is a form error naming the field and the valid values (a 400 in the API), never a 500.
"""

import django_filters as df
from django.db.models import Exists, OuterRef, QuerySet

from fleetui.core.filters import (
    CSVChoiceFilter,
    InventoryChoiceFilter,
    ResourceFilterSet,
    StrictBooleanFilter,
    words_match,
)
from fleetui.lambda_.links import function_missing

from .models import V2_PROTOCOLS, Api, ApiType, Deployment, RestApi, Route, Stage

ENDPOINT_TYPES = [("EDGE", "Edge-optimized"), ("REGIONAL", "Regional"), ("PRIVATE", "Private")]
INTEGRATION_TYPES = [
    ("AWS_PROXY", "Lambda proxy (AWS_PROXY)"),
    ("AWS", "AWS service (AWS)"),
    ("HTTP_PROXY", "HTTP proxy (HTTP_PROXY)"),
    ("HTTP", "HTTP (HTTP)"),
    ("MOCK", "Mock (MOCK)"),
]
CONNECTION_TYPES = [("INTERNET", "Internet"), ("VPC_LINK", "VPC link")]


class RestApiFilterSet(ResourceFilterSet):
    """`?api=storefront-api&endpoint_type=REGIONAL&q=orders`."""

    api = InventoryChoiceFilter(field_name="name", label="API", search=True)
    endpoint_type = InventoryChoiceFilter(field_name="endpoint_type", choices=ENDPOINT_TYPES, label="Endpoint type")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = RestApi
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(qs, value, "name", "description", exact=("api_id",))


class ApiFilterSet(ResourceFilterSet):
    """`?api=partner-api&protocol=HTTP,WEBSOCKET&q=partner`."""

    api = InventoryChoiceFilter(field_name="name", label="API", search=True)
    protocol = InventoryChoiceFilter(field_name="protocol_type", choices=V2_PROTOCOLS, label="Protocol")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Api
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(qs, value, "name", "description", "api_endpoint", exact=("api_id",))


class DeploymentFilterSet(ResourceFilterSet):
    """`?api=storefront-api&api_id=a1b2c3d4e5&q=release`."""

    api = InventoryChoiceFilter(field_name="api_name", label="API", search=True)
    api_id = CSVChoiceFilter(field_name="api_id", label="API id")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Deployment
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(qs, value, "api_name", "description", exact=("deployment_id",))


def calls_missing_function() -> Exists:
    """Stages whose API has a live route calling a function the synced Lambda inventory no longer holds."""
    routes = Route.objects.filter(
        account=OuterRef("account"), region=OuterRef("region"), api_id=OuterRef("api_id"), gone_at=None
    )
    return Exists(routes.filter(function_missing("function_arn")))


class StageFilterSet(ResourceFilterSet):
    """`?api=storefront-api&api_type=REST&stage=prod&tracing=true&cache=false&q=release`."""

    api = InventoryChoiceFilter(field_name="api_name", label="API", search=True)
    api_id = CSVChoiceFilter(field_name="api_id", label="API id")
    api_type = InventoryChoiceFilter(field_name="api_type", choices=ApiType.choices, label="API type")
    stage = InventoryChoiceFilter(field_name="stage_name", label="Stage")
    tracing = StrictBooleanFilter(field_name="tracing_enabled", label="X-Ray tracing")
    cache = StrictBooleanFilter(field_name="cache_enabled", label="Cache")
    missing_function = StrictBooleanFilter(method="filter_missing_function", label="Calls a deleted Lambda function")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Stage
        fields: list[str] = []

    def filter_missing_function(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(calls_missing_function()) if value else qs.exclude(calls_missing_function())

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(
            qs, value, "api_name", "stage_name", "description", "deployment_description", exact=("deployment_id",)
        )


class RouteFilterSet(ResourceFilterSet):
    """`?api=storefront-api&integration_type=AWS_PROXY&function=orders-api&connection_type=VPC_LINK&q=/orders`."""

    api = InventoryChoiceFilter(field_name="api_name", label="API", search=True)
    api_id = CSVChoiceFilter(field_name="api_id", label="API id")
    api_type = InventoryChoiceFilter(field_name="api_type", choices=ApiType.choices, label="API type")
    integration_type = InventoryChoiceFilter(
        field_name="integration_type", choices=INTEGRATION_TYPES, label="Integration type"
    )
    function = InventoryChoiceFilter(field_name="function_name", label="Lambda function", search=True)
    connection_type = InventoryChoiceFilter(field_name="connection_type", choices=CONNECTION_TYPES, label="Connection")
    q = df.CharFilter(method="filter_q", label="Search")

    class Meta:
        model = Route
        fields: list[str] = []

    def filter_q(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        return words_match(qs, value, "api_name", "route", "integration_uri", "function_name", "target_host")
