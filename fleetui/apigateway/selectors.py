"""Reads of the API Gateway inventory for the pages, the CSV exports and the API.

Each list is a `Selector` (fleetui.core.selectors). `route_targets` is the ONE place that says what routes call:
every page that shows an integration's target (an API's page, a stage's page) goes through it, so the link to the
Lambda inventory and the "function no longer exists" finding are added there once (see its docstring).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from fleetui.core.menu import Owner
from fleetui.core.selectors import Selector, count_in_scope, with_account
from fleetui.ec2.links import Instance, instances_by_address
from fleetui.lambda_.links import Function, function_missing, functions_by_arn

from .filters import ApiFilterSet, DeploymentFilterSet, RestApiFilterSet, RouteFilterSet, StageFilterSet
from .models import Api, ApiType, Deployment, RestApi, Route, Stage, api_page


def _counted(model: type[RestApi] | type[Api]) -> QuerySet:
    """The APIs with `stage_count` and `route_count` (their live stages and routes)."""

    def live(child: type[Stage] | type[Route]) -> Any:
        return count_in_scope(child.objects.filter(gone_at__isnull=True), api_id=F("api_id"))

    return model.objects.select_related("account").annotate(stage_count=live(Stage), route_count=live(Route))


def _deployment(field: str) -> Subquery:
    deployments = Deployment.objects.filter(
        account=OuterRef("account"), region=OuterRef("region"), api_id=OuterRef("api_id"),
        deployment_id=OuterRef("deployment_id"),
    )  # fmt: skip
    return Subquery(deployments.values(field)[:1])


def stages() -> QuerySet[Stage]:
    """Stages with their deployment's `deployed_at` and `deployment_description` (a REST stage's; NULL for v2)."""
    return Stage.objects.select_related("account").annotate(
        deployed_at=_deployment("created_at"), deployment_description=_deployment("description")
    )


rest_api_list = Selector(RestApiFilterSet, lambda: _counted(RestApi))
api_list = Selector(ApiFilterSet, lambda: _counted(Api))
deployment_list = Selector(DeploymentFilterSet, with_account(Deployment))
stage_list = Selector(StageFilterSet, stages)
route_list = Selector(RouteFilterSet, with_account(Route))


def api_url(row: Any) -> str:
    """The page of a REST API, or of an HTTP or WebSocket API, from any row that has `api_id` and `api_type` (a
    stage, a route, a deployment) or is the API itself."""
    return api_page(row, getattr(row, "api_type", "") or getattr(row, "protocol_type", ApiType.REST))


def stage_url(row: Stage) -> str:
    return row.get_absolute_url()


def console_url(*, region: str, api_id: str, api_type: str) -> str:
    base = f"https://{region}.console.aws.amazon.com/apigateway/main"
    if api_type == ApiType.REST:
        return f"{base}/apis/{api_id}/resources?api={api_id}&region={region}"
    return f"{base}/api-detail?api={api_id}&region={region}"


# AWS's EC2 DNS names carry the address: ec2-54-1-2-3.compute-1.amazonaws.com, ip-10-0-1-5.ec2.internal.
EC2_DNS_NAME = re.compile(r"^(?:ec2|ip)-(\d{1,3}(?:-\d{1,3}){3})\.")


def host_address(host: str) -> str:
    """The IP address an HTTP target's host is, or names as an EC2 DNS name; "" for any other host."""
    found = EC2_DNS_NAME.match(host)
    candidate = found.group(1).replace("-", ".") if found else host
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return ""


@dataclass
class RouteTarget:
    """A route with what its integration calls, resolved against the inventory."""

    route: Route
    instance: Instance | None  # the EC2 instance an HTTP target names (its IP or EC2 DNS name), when synced
    function: Function | None = None  # the Lambda function it calls (gone rows included), when synced
    function_missing: bool = False  # it calls a function the synced Lambda inventory no longer holds: a finding

    @property
    def is_lambda(self) -> bool:
        return bool(self.route.function_arn)


def route_targets(*, account: Any, region: str, routes: Sequence[Route]) -> list[RouteTarget]:
    """Each route with its integration's target: the EC2 instance an HTTP target names, the Lambda function it calls,
    and whether that function is missing (three queries, whatever the number of routes). THE one place that resolves
    targets."""
    addresses = {route.route_key: host_address(route.target_host) for route in routes if route.target_host}
    instances = instances_by_address(account=account, region=region, addresses=list(set(addresses.values())))
    arns = [route.function_arn for route in routes if route.function_arn]
    functions = functions_by_arn(account=account, region=region, arns=arns) if arns else {}
    missing = set(
        Route.objects.filter(pk__in=[r.pk for r in routes if r.function_arn])
        .filter(function_missing("function_arn"))
        .values_list("pk", flat=True)
    ) if arns else set()  # fmt: skip
    return [
        RouteTarget(
            route,
            instance=instances.get(addresses.get(route.route_key, "")),
            function=functions.get(route.function_arn),
            function_missing=route.pk in missing,
        )
        for route in routes
    ]


def stage_integrations(*, stage: Stage) -> list[RouteTarget]:
    """The integrations a stage serves: its API's live routes with their targets (route_targets). A REST stage
    serves the deployment it points at; the inventory reads the API's current methods, which are that deployment's
    unless a change was not deployed yet."""
    routes = Route.objects.filter(account=stage.account, region=stage.region, api_id=stage.api_id, gone_at=None)
    return route_targets(account=stage.account, region=stage.region, routes=list(routes.select_related("account")))


@dataclass
class DeploymentRow:
    deployment: Deployment
    stage_names: list[str]  # the live stages that serve it


@dataclass
class ApiDetail:
    api: RestApi | Api
    stages: list[Stage]
    deployments: list[DeploymentRow]  # a REST API's, newest first
    routes: list[RouteTarget]
    console_url: str


def api_detail(*, model: type[RestApi] | type[Api], account_id: str, region: str, api_id: str) -> ApiDetail:
    """One API of either kind with its live stages, deployments and routes and their targets (5 queries). Raises
    model.DoesNotExist when no such API was ever synced (a gone one is still shown)."""
    api = _counted(model).get(account__account_id=account_id, region=region, api_id=api_id)
    scope = {"account": api.account, "region": region, "api_id": api_id, "gone_at": None}
    routes = list(Route.objects.filter(**scope).select_related("account"))
    api_type = api.protocol_type if isinstance(api, Api) else ApiType.REST
    live_stages = list(stages().filter(**scope))
    return ApiDetail(
        api=api,
        stages=live_stages,
        deployments=[
            DeploymentRow(d, [s.stage_name for s in live_stages if s.deployment_id == d.deployment_id])
            for d in Deployment.objects.filter(**scope).order_by("-created_at")
        ],
        routes=route_targets(account=api.account, region=region, routes=routes),
        console_url=console_url(region=region, api_id=api_id, api_type=api_type),
    )


@dataclass
class StageDetail:
    stage: Stage
    api: RestApi | Api | None  # None when the API row was never synced (a stage outlives nothing in practice)
    integrations: list[RouteTarget]
    console_url: str

    @property
    def missing_functions(self) -> list[RouteTarget]:
        """The integrations calling a function the Lambda inventory no longer holds: the stage's finding."""
        return [target for target in self.integrations if target.function_missing]


def stage_detail(*, account_id: str, region: str, api_id: str, stage_name: str) -> StageDetail:
    """One stage with its API and the integrations it serves. Raises Stage.DoesNotExist when never synced."""
    stage = stages().get(account__account_id=account_id, region=region, stage_key=f"{api_id}/{stage_name}")
    model: type[RestApi] | type[Api] = RestApi if stage.api_type == ApiType.REST else Api
    api = model.objects.filter(account=stage.account, region=region, api_id=api_id).first()
    return StageDetail(
        stage=stage,
        api=api,
        integrations=stage_integrations(stage=stage),
        console_url=console_url(region=region, api_id=api_id, api_type=stage.api_type),
    )


def function_callers(*, account: Any, region: str, ids: Sequence[str]) -> dict[str, list[Owner]]:
    """{function name or ARN, as given: the live API routes that call it}, for a Lambda function's page ("API
    Gateway route storefront-api GET /orders"): navigation.OWNERS' finder for "lambda_functions" (keyed by name)."""
    wanted = set(ids)
    routes = Route.objects.filter(account=account, region=region, gone_at=None).select_related("account")
    found: dict[str, list[Owner]] = {}
    for route in routes.filter(function_arn__in=wanted) | routes.filter(function_name__in=wanted):
        key = route.function_arn if route.function_arn in wanted else route.function_name
        found.setdefault(key, []).append(Owner("API Gateway route", f"{route.api_name} {route.route}", api_url(route)))
    return found


def functions_called() -> Q:
    """The Lambda functions (rows with `account`, `region` and an unqualified `function_arn`) that a live API route
    calls: navigation.OWNERS' `owned` for "lambda_functions", so the Lambda app's "unreferenced" finding counts them."""
    callers = Route.objects.filter(
        account=OuterRef("account"), region=OuterRef("region"), function_arn=OuterRef("function_arn"), gone_at=None
    ).exclude(function_arn="")
    return Q(Exists(callers))
