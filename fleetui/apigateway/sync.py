"""API Gateway's resource types for the sync engine (fleetui.inventory.sync collects `SYNCS`): the APIs of both
kinds, then the deployments (REST), stages and routes of every API (their fetchers list the APIs themselves: see
fleetui.aws.apigateway)."""

from fleetui.aws import apigateway
from fleetui.inventory.sync import ResourceSync

from . import transforms
from .models import Api, Deployment, RestApi, Route, Stage

SYNCS = {
    "apigateway_rest_apis": ResourceSync(apigateway.rest_api_pages, transforms.rest_api_fields, RestApi, RestApi.KEY),
    "apigateway_apis": ResourceSync(apigateway.api_pages, transforms.api_fields, Api, Api.KEY),
    "apigateway_deployments": ResourceSync(
        apigateway.deployment_pages, transforms.deployment_fields, Deployment, Deployment.KEY
    ),
    "apigateway_stages": ResourceSync(apigateway.stage_pages, transforms.stage_fields, Stage, Stage.KEY),
    "apigateway_routes": ResourceSync(apigateway.route_pages, transforms.route_fields, Route, Route.KEY),
}
