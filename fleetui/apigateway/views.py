"""API Gateway pages: four lists (ResourceListView: filters, sort, pages, htmx fragment, CSV) and the pages of a REST
API, of an HTTP or WebSocket API, and of a stage, each with the routes it serves and what they call. Every page
needs the viewer role (RoleRequiredMiddleware's default). API Gateway has no action in fleetui.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fleetui.core import fields
from fleetui.core.views import ResourceListView

from . import selectors, tables
from . import serializers as s
from .models import Api, RestApi, Stage


class ApigatewayListView(ResourceListView):
    # The shared list page with the API Gateway tabs above it (REST APIs, HTTP and WebSocket APIs, Deployments,
    # Stages, Routes).
    template_name = "apigateway/resource_list.html"


class RestApiListView(ApigatewayListView):
    title = "API Gateway REST APIs"
    intro = (
        "REST APIs (API Gateway v1): click one for its stages and its methods, with the function or host each calls."
    )
    selector = staticmethod(selectors.rest_api_list)
    table_class = tables.RestApiTable
    csv_columns = fields.csv_columns(s.REST_API_FIELDS)
    csv_filename = "apigateway-rest-apis.csv"


class ApiListView(ApigatewayListView):
    title = "API Gateway HTTP and WebSocket APIs"
    intro = "HTTP and WebSocket APIs (API Gateway v2): click one for its stages and routes."
    selector = staticmethod(selectors.api_list)
    table_class = tables.ApiTable
    csv_columns = fields.csv_columns(s.API_FIELDS)
    csv_filename = "apigateway-apis.csv"


class DeploymentListView(ApigatewayListView):
    title = "API Gateway deployments"
    intro = "REST APIs' deployments: the snapshots of their methods that stages serve, newest first."
    selector = staticmethod(selectors.deployment_list)
    table_class = tables.DeploymentTable
    csv_columns = fields.csv_columns(s.DEPLOYMENT_FIELDS)
    csv_filename = "apigateway-deployments.csv"


class StageListView(ApigatewayListView):
    title = "API Gateway stages"
    intro = "The stages of every API: the deployment each serves, its cache and X-Ray tracing."
    selector = staticmethod(selectors.stage_list)
    table_class = tables.StageTable
    csv_columns = fields.csv_columns(s.STAGE_FIELDS)
    csv_filename = "apigateway-stages.csv"
    more_filters = ("tracing", "cache", "gone")


class RouteListView(ApigatewayListView):
    title = "API Gateway routes"
    intro = (
        "REST methods and HTTP/WebSocket routes with their integrations: which Lambda function, HTTP endpoint or "
        "VPC link each calls. Filter by function to see every API that calls it."
    )
    selector = staticmethod(selectors.route_list)
    table_class = tables.RouteTable
    csv_columns = fields.csv_columns(s.ROUTE_FIELDS)
    csv_filename = "apigateway-routes.csv"
    more_filters = ("connection_type", "gone")


def _api_page(request: HttpRequest, model: type[RestApi] | type[Api], account_id: str, region: str, api_id: str):
    try:
        detail = selectors.api_detail(model=model, account_id=account_id, region=region, api_id=api_id)
    except model.DoesNotExist:
        raise Http404("No such API in the inventory.") from None
    sync_type = "apigateway_rest_apis" if model is RestApi else "apigateway_apis"
    context = {"detail": detail, "api": detail.api, "sync_type": sync_type}
    return render(request, "apigateway/api_detail.html", context)


def rest_api_detail(request: HttpRequest, account_id: str, region: str, api_id: str) -> HttpResponse:
    """A REST API: its fields, stages, and methods with what each calls."""
    return _api_page(request, RestApi, account_id, region, api_id)


def api_detail(request: HttpRequest, account_id: str, region: str, api_id: str) -> HttpResponse:
    """An HTTP or WebSocket API: its fields, stages, and routes with what each calls."""
    return _api_page(request, Api, account_id, region, api_id)


def stage_detail(request: HttpRequest, account_id: str, region: str, api_id: str, stage_name: str) -> HttpResponse:
    """A stage: its deployment, cache and tracing, and the integrations it serves (selectors.stage_integrations)."""
    try:
        detail = selectors.stage_detail(account_id=account_id, region=region, api_id=api_id, stage_name=stage_name)
    except Stage.DoesNotExist:
        raise Http404("No such stage in the inventory.") from None
    return render(request, "apigateway/stage_detail.html", {"detail": detail, "stage": detail.stage})
