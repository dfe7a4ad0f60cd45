"""The API Gateway sync against the sandbox, into PostgreSQL: the demo's REST, WebSocket and HTTP APIs, their stages
(a REST stage's deployment, cache and tracing) and routes with their integrations' targets (Lambda ARNs parsed out
of v1's invocation URI and v2's bare ARN, an HTTP host, a VPC link); an unchanged re-sync writes nothing; a deleted
route and API are marked gone; targeted re-syncs by key; AccessDenied fails one scope and keeps the data."""

import re

import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fleetui.apigateway.models import Api, Deployment, RestApi, Route, Stage
from fleetui.apigateway.selectors import stages
from fleetui.inventory.sync import TargetedResult, sync_ids, sync_scope

from .conftest import ACCOUNT, REGION, TYPES, sync, sync_all

WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"apigateway_\w+"', re.IGNORECASE)


def fn(name: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


def test_sync_stores_apis_stages_and_routes_with_their_targets(account, demo):
    runs = sync_all(account)
    assert [runs[name].added for name in TYPES] == [1, 2, 2, 4, 8]
    rest = RestApi.objects.get()
    assert (rest.name, rest.endpoint_type, rest.tags) == (
        "storefront-api",
        "REGIONAL",
        {"team": "storefront", "env": "prod"},
    )
    assert rest.created_at is not None and rest.api_key_source == "HEADER"
    ws, http = Api.objects.get(name="live-updates"), Api.objects.get(name="partner-api")
    assert (ws.protocol_type, ws.route_selection_expression) == ("WEBSOCKET", "$request.body.action")
    assert (
        http.protocol_type == "HTTP"
        and http.api_endpoint == f"https://{http.api_id}.execute-api.{REGION}.amazonaws.com"
    )

    prod, staging = stages().get(stage_name="prod", api_type="REST"), Stage.objects.get(stage_name="staging")
    assert (prod.api_id, prod.api_name, prod.stage_key) == (rest.api_id, "storefront-api", f"{rest.api_id}/prod")
    assert (prod.cache_enabled, prod.cache_size, prod.tracing_enabled) == (True, "0.5", True)
    assert prod.deployment_description == "release 2026.11.2" and prod.deployed_at is not None  # its deployment's
    candidate = Deployment.objects.get(deployment_id=staging.deployment_id)
    assert (candidate.api_name, candidate.description) == ("storefront-api", "release candidate 2026.12.0")
    assert candidate.deployment_key == f"{rest.api_id}/{candidate.deployment_id}" and candidate.created_at is not None
    assert prod.created_at is not None and prod.updated_at >= prod.created_at  # the sandbox's stage dates
    assert staging.deployment_id != prod.deployment_id and staging.variables == {"lambdaAlias": "staging"}
    assert Stage.objects.get(api_id=http.api_id).auto_deploy is True
    assert (
        Stage.objects.get(api_id=http.api_id).invoke_url == f"https://{http.api_id}.execute-api.{REGION}.amazonaws.com"
    )
    assert Stage.objects.get(api_id=ws.api_id).invoke_url.startswith("wss://")

    routes = {(r.api_name, r.route): r for r in Route.objects.all()}
    orders = routes[("storefront-api", "GET /orders")]
    assert (orders.integration_type, orders.function_arn, orders.function_name) == (
        "AWS_PROXY",
        fn("orders-api"),
        "orders-api",
    )
    assert orders.route_key == f"{rest.api_id}/{orders.resource_id}/GET" and orders.connection_type == "INTERNET"
    assert routes[("storefront-api", "GET /legacy")].function_name == "checkout-v1"
    assert routes[("storefront-api", "POST /payments")].function_arn == fn("payments-webhook")
    health = routes[("storefront-api", "GET /health")]
    assert (health.integration_type, health.function_arn) == ("HTTP_PROXY", "")
    assert health.target_host == demo["instance"]["PublicDnsName"]
    for key in ("$connect", "$default"):
        assert routes[("live-updates", key)].function_arn == fn("orders-api")
    assert routes[("live-updates", "$connect")].integration_id == routes[("live-updates", "$default")].integration_id
    webhook = routes[("partner-api", "POST /webhooks/payments")]  # v2's bare ARN
    assert (webhook.function_name, webhook.api_type) == ("payments-webhook", "HTTP")
    linked = routes[("partner-api", "ANY /inventory/{proxy+}")]
    assert (linked.connection_type, linked.function_arn, linked.target_host) == ("VPC_LINK", "", "")
    assert linked.connection_id and linked.integration_uri.startswith("arn:aws:elasticloadbalancing:")


def test_an_unchanged_resync_writes_nothing(account, demo):
    first = sync_all(account, types=TYPES)
    with CaptureQueriesContext(connection) as queries:
        second = sync_all(account, types=TYPES)
    for name, run in second.items():
        assert (run.seen, run.added, run.changed, run.gone) == (first[name].seen, 0, 0, 0), name
    assert [q["sql"][:80] for q in queries.captured_queries if WRITE.match(q["sql"])] == []


def test_deleted_route_stage_and_api_are_gone_and_targeted_resyncs_read_by_key(account, demo, v1, v2):
    sync_all(account, types=TYPES)
    rest = RestApi.objects.get()
    legacy = Route.objects.get(route="GET /legacy")
    v1.delete_method(restApiId=rest.api_id, resourceId=legacy.resource_id, httpMethod="GET")
    assert sync_ids(account=account, region=REGION, resource_type="apigateway_routes", ids=[legacy.route_key]) == (
        TargetedResult(gone=1)
    )
    assert Route.objects.get(route="GET /orders").gone_at is None  # untouched
    v1.update_stage(
        restApiId=rest.api_id, stageName="staging",
        patchOperations=[{"op": "replace", "path": "/tracingEnabled", "value": "true"}],
    )  # fmt: skip
    staging = Stage.objects.get(stage_name="staging")
    result = sync_ids(account=account, region=REGION, resource_type="apigateway_stages", ids=[staging.stage_key])
    assert result == TargetedResult(seen=1, changed=1)
    staging.refresh_from_db()
    assert staging.tracing_enabled is True
    partner = Api.objects.get(name="partner-api")
    v2.delete_api(ApiId=partner.api_id)
    assert sync(account, "apigateway_apis").gone == 1
    assert (sync(account, "apigateway_stages").gone, sync(account, "apigateway_routes").gone) == (1, 2)
    assert Route.objects.filter(api_id=partner.api_id, gone_at__isnull=True).count() == 0
    assert sync_ids(account=account, region=REGION, resource_type="apigateway_rest_apis", ids=["nosuchapi"]) == (
        TargetedResult()
    )


def test_access_denied_fails_only_that_scope_and_keeps_the_data(aws, account, demo):
    sync_all(account, types=TYPES)
    # A v1 call: the sandbox's faults find a REST request's operation by its signing name, which v2 shares with v1.
    fault = {"action": "GetResources", "error": "AccessDeniedException", "status": 403, "count": 1}
    requests.post(f"{aws}/fleetui-sandbox/faults", json=fault, timeout=10).raise_for_status()
    denied = sync_scope(account=account, region=REGION, resource_type="apigateway_routes")
    assert denied.status == "failed" and "AccessDeniedException" in denied.error
    assert Route.objects.filter(gone_at__isnull=True).count() == 8  # nothing swept
    assert sync(account, "apigateway_stages").seen == 4  # the other types of the scope still sync
    assert sync(account, "apigateway_routes").seen == 8  # and the next run of the same scope does
