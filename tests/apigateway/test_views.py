"""The API Gateway pages and REST API over the demo's three APIs, seeded and synced ONCE for this module (the tests
only read): the lists (filters, htmx fragment, CSV, bounded queries), the REST API's page (methods with their
Lambda targets and the /health route linked to its EC2 instance), the v2 API's page, the stage page (its
integrations), the REST API (filters, 400s naming the field, 401/405) and the OpenAPI schema."""

import csv
import io

import pytest
import requests
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fleetui.apigateway.models import Api, Deployment, RestApi, Route, Stage
from fleetui.apigateway.selectors import function_callers, functions_called
from fleetui.aws import clients_clear
from fleetui.ec2.models import Instance
from fleetui.inventory.models import Account

from .conftest import ACCOUNT, REGION, demo_seed, sync_all

LISTS = [
    "apigateway:rest_api_list", "apigateway:api_list", "apigateway:deployment_list", "apigateway:stage_list",
    "apigateway:route_list",
]  # fmt: skip
API = "/api/v1/apigateway"


@pytest.fixture(scope="module")
def fleet(moto_server, django_db_setup, django_db_blocker):
    """The demo's APIs and the EC2 instance /health calls, synced into the database once; removed afterwards."""
    requests.post(f"{moto_server}/moto-api/reset", timeout=30)
    clients_clear()
    seeded = demo_seed(moto_server)
    with django_db_blocker.unblock():
        owner = Account.objects.create(account_id=ACCOUNT, name="default")
        sync_all(owner)
    yield seeded
    with django_db_blocker.unblock():
        owner.delete()  # its rows and sync runs go with it
    requests.post(f"{moto_server}/moto-api/reset", timeout=30)
    clients_clear()


def csv_rows(answer):
    return list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))


def text(answer) -> str:
    return answer.content.decode()


@pytest.mark.parametrize("name", LISTS)
def test_every_list_renders_with_bounded_queries(viewer_client, fleet, name):
    url = reverse(name)
    viewer_client.get(url)  # warm the per-process caches (menu, content types)
    with CaptureQueriesContext(connection) as queries:
        answer = viewer_client.get(url)
    assert answer.status_code == 200
    page = text(answer)
    assert ("storefront-api" in page) or ("partner-api" in page)
    assert "<script>" not in page and " onclick=" not in page
    # + one query for the values of every choice filter (fleetui.core.choices), whatever the rows
    assert len(queries) <= 13, [q["sql"][:100] for q in queries.captured_queries]


def test_list_filters_fragment_and_csv(viewer_client, fleet):
    rest = csv_rows(viewer_client.get(reverse("apigateway:rest_api_list"), {"export": "csv"}))
    assert [(r["name"], r["endpoint_type"], r["stage_count"], r["route_count"]) for r in rest] == [
        ("storefront-api", "REGIONAL", "2", "4")
    ]
    ws = csv_rows(viewer_client.get(reverse("apigateway:api_list"), {"protocol": "WEBSOCKET", "export": "csv"}))
    assert [(r["name"], r["route_selection_expression"]) for r in ws] == [("live-updates", "$request.body.action")]
    traced = csv_rows(viewer_client.get(reverse("apigateway:stage_list"), {"tracing": "true", "export": "csv"}))
    assert [(r["api_name"], r["stage_name"], r["cache_size"]) for r in traced] == [("storefront-api", "prod", "0.5")]
    assert traced[0]["invoke_url"].endswith(".execute-api.us-east-1.amazonaws.com/prod")
    assert traced[0]["deployment_description"] == "release 2026.11.2"
    deployments = csv_rows(
        viewer_client.get(reverse("apigateway:deployment_list"), {"q": "candidate", "export": "csv"})
    )
    assert [(r["api_name"], r["description"]) for r in deployments] == [
        ("storefront-api", "release candidate 2026.12.0")
    ]
    calls = csv_rows(viewer_client.get(reverse("apigateway:route_list"), {"function": "orders-api", "export": "csv"}))
    assert sorted((r["api_name"], r["route"]) for r in calls) == [
        ("live-updates", "$connect"), ("live-updates", "$default"), ("storefront-api", "GET /orders"),
    ]  # fmt: skip
    linked = csv_rows(
        viewer_client.get(reverse("apigateway:route_list"), {"connection_type": "VPC_LINK", "export": "csv"})
    )
    assert [r["route"] for r in linked] == ["ANY /inventory/{proxy+}"]
    fragment = viewer_client.get(reverse("apigateway:route_list"), {"q": "legacy"}, headers={"HX-Request": "true"})
    assert "checkout-v1" in text(fragment) and "<html" not in text(fragment) and "orders-api" not in text(fragment)


def test_a_bad_filter_value_is_a_400_naming_the_field_and_allowed_values(viewer_client, fleet):
    answer = viewer_client.get(reverse("apigateway:route_list"), {"integration_type": "LAMBDA"})
    assert answer.status_code == 400
    assert "Not a valid choice: LAMBDA" in text(answer) and "AWS_PROXY" in text(answer)
    assert viewer_client.get(reverse("apigateway:stage_list"), {"tracing": "maybe"}).status_code == 400
    assert viewer_client.get(reverse("apigateway:stage_list"), {"tracing": "maybe", "export": "csv"}).status_code == 400


def test_rest_api_page_shows_stages_and_methods_with_their_targets(viewer_client, fleet, django_assert_max_num_queries):
    api = RestApi.objects.get(name="storefront-api")
    url = reverse("apigateway:rest_api_detail", args=[ACCOUNT, REGION, api.api_id])
    viewer_client.get(url)
    with django_assert_max_num_queries(14):
        page = text(viewer_client.get(url))
    assert 'data-stage="prod"' in page and 'data-stage="staging"' in page and "release 2026.11.2" in page
    assert page.count("data-deployment=") == 2
    for name in ("orders-api", "payments-webhook", "checkout-v1"):
        assert f'data-function="{name}"' in page and f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}" in page
    web = Instance.objects.get(instance_id=fleet["instance"]["InstanceId"])
    assert reverse("ec2:instance_detail", args=[ACCOUNT, REGION, web.instance_id]) in page  # /health's EC2 host
    assert fleet["instance"]["PublicDnsName"] in page
    assert viewer_client.get(reverse("apigateway:rest_api_detail", args=[ACCOUNT, REGION, "nope"])).status_code == 404


def test_v2_api_and_stage_pages(viewer_client, fleet):
    partner = Api.objects.get(name="partner-api")
    page = text(viewer_client.get(reverse("apigateway:api_detail", args=[ACCOUNT, REGION, partner.api_id])))
    assert "POST /webhooks/payments" in page and 'data-function="payments-webhook"' in page
    assert "VPC link" in page and "arn:aws:elasticloadbalancing:" in page and "$request.method $request.path" in page
    assert 'data-stage="$default"' in page
    stage = Stage.objects.get(api_id=partner.api_id)
    stage_page = text(
        viewer_client.get(reverse("apigateway:stage_detail", args=[ACCOUNT, REGION, partner.api_id, "$default"]))
    )
    assert stage.invoke_url in stage_page and "Auto-deploy" in stage_page and "POST /webhooks/payments" in stage_page
    prod = Stage.objects.get(stage_name="prod", api_type="REST")
    prod_page = text(viewer_client.get(reverse("apigateway:stage_detail", args=[ACCOUNT, REGION, prod.api_id, "prod"])))
    assert 'data-function="checkout-v1"' in prod_page and "0.5 GB" in prod_page
    assert (
        viewer_client.get(reverse("apigateway:stage_detail", args=[ACCOUNT, REGION, prod.api_id, "qa"])).status_code
        == 404
    )


def test_api_lists_filters_and_refusals(client, viewer_client, fleet):
    assert client.get(f"{API}/rest-apis/").status_code == 401
    assert viewer_client.post(f"{API}/stages/", {}, content_type="application/json").status_code == 405
    rest = viewer_client.get(f"{API}/rest-apis/").json()["results"]
    assert [(r["name"], r["account_id"], r["tags"]["team"]) for r in rest] == [
        ("storefront-api", ACCOUNT, "storefront")
    ]
    apis = viewer_client.get(f"{API}/apis/", {"protocol": "HTTP"}).json()["results"]
    assert [a["name"] for a in apis] == ["partner-api"]
    stages = viewer_client.get(f"{API}/stages/", {"api": "storefront-api", "ordering": "stage_name"}).json()["results"]
    assert [(s["stage_name"], s["tracing_enabled"], s["cache_enabled"]) for s in stages] == [
        ("prod", True, True), ("staging", False, False),
    ]  # fmt: skip
    deployments = viewer_client.get(f"{API}/deployments/", {"api": "storefront-api"}).json()["results"]
    assert sorted(d["description"] for d in deployments) == ["release 2026.11.2", "release candidate 2026.12.0"]
    assert stages[0]["deployment_description"] == "release 2026.11.2" and stages[0]["deployed_at"]
    legacy = viewer_client.get(f"{API}/routes/", {"function": "checkout-v1"}).json()["results"]
    assert [(r["route"], r["function_arn"]) for r in legacy] == [
        ("GET /legacy", f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:checkout-v1")
    ]
    assert Route.objects.filter(function_name="checkout-v1").count() == 1
    for path, params, field in [
        ("routes", {"integration_type": "LAMBDA"}, "integration_type"),
        ("apis", {"protocol": "GRPC"}, "protocol"),
        ("rest-apis", {"endpoint_type": "GLOBAL"}, "endpoint_type"),
        ("stages", {"cache": "sometimes"}, "cache"),
        ("stages", {"api_type": "SOAP"}, "api_type"),
    ]:
        answer = viewer_client.get(f"{API}/{path}/", params)
        assert answer.status_code == 400 and field in answer.json(), (path, params, answer.content)


def test_function_callers_names_the_routes_that_call_a_function(db, fleet):
    account = Account.objects.get(account_id=ACCOUNT)
    arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:orders-api"
    found = function_callers(account=account, region=REGION, ids=[arn, "payments-webhook", "nothing"])
    assert sorted(owner.label for owner in found[arn]) == [
        "live-updates $connect", "live-updates $default", "storefront-api GET /orders",
    ]  # fmt: skip
    assert sorted(owner.label for owner in found["payments-webhook"]) == [
        "partner-api POST /webhooks/payments", "storefront-api POST /payments",
    ]  # fmt: skip
    assert "nothing" not in found and found[arn][0].url.startswith("/apigateway/")


def test_functions_called_selects_rows_whose_function_a_live_route_calls(db, fleet):
    # The Lambda app's Function rows are not on this branch; Route rows have the same three columns the Q reads.
    called = Route.objects.filter(functions_called()).exclude(function_arn="")
    assert called.count() == Route.objects.exclude(function_arn="").count() == 6
    assert not Route.objects.filter(functions_called(), function_arn="").exists()  # a host, a VPC link: no function


def test_every_row_links_to_its_page(db, fleet):
    rest, ws = RestApi.objects.get(), Api.objects.get(name="live-updates")
    assert rest.get_absolute_url() == reverse("apigateway:rest_api_detail", args=[ACCOUNT, REGION, rest.api_id])
    assert Route.objects.get(route="$connect").get_absolute_url() == ws.get_absolute_url()
    assert Route.objects.get(route="GET /orders").get_absolute_url() == rest.get_absolute_url()
    assert Deployment.objects.filter(api_id=rest.api_id).first().get_absolute_url() == rest.get_absolute_url()
    prod = Stage.objects.get(stage_name="prod", api_id=rest.api_id)
    assert prod.get_absolute_url() == reverse("apigateway:stage_detail", args=[ACCOUNT, REGION, rest.api_id, "prod"])


def test_openapi_schema_types_the_apigateway_endpoints(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    schema = out.read_text()
    for path in ("rest-apis", "apis", "deployments", "stages", "routes"):
        assert f"/api/v1/apigateway/{path}/" in schema
    assert "ApigatewayRestApi:" in schema and "ApigatewayStage:" in schema
