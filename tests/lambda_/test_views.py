"""The Lambda pages over the sandbox's demo of us-east-1, synced (with EC2's security groups): both lists (filters,
findings, htmx fragment, CSV, bounded queries), the function page (configuration, VPC linked to EC2, versions and
aliases, triggers, findings with the deprecation date, buttons by role), the home page's panel, and the REST API
(filters, 400s)."""

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from fleetui.core import menu
from fleetui.core.menu import Owner, Owners
from fleetui.lambda_ import runtimes
from fleetui.lambda_.models import Function

from .conftest import ACCOUNT, REGION, sync_all

LISTS = ["lambda_:function_list", "lambda_:event_source_mapping_list"]
API = "/api/v1/lambda"


@pytest.fixture
def synced(demo, account, monkeypatch):
    monkeypatch.setattr(runtimes, "today", lambda: date(2026, 1, 15))  # python3.7 deprecated, nodejs20.x not yet
    sync_all(account)
    return demo


def csv_rows(answer):
    return list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))


def text(answer) -> str:
    return answer.content.decode()


def test_every_list_renders_with_bounded_queries_and_the_home_panel_counts(
    viewer_client, synced, django_assert_max_num_queries
):
    for name in LISTS:
        url = reverse(name)
        viewer_client.get(url)  # warm the per-process caches (menu, content types)
        with django_assert_max_num_queries(12):
            answer = viewer_client.get(url)
        assert answer.status_code == 200 and "queue-worker" in text(answer), name
    page = text(viewer_client.get("/"))
    list_url = reverse("lambda_:function_list")
    for finding in ("near_timeout", "near_memory", "deprecated_runtime", "unreferenced"):
        assert f'href="{list_url}?finding={finding}" data-finding="lambda_{finding}"' in page
    assert "<strong>8</strong> functions" in page


def test_function_filters_findings_and_csv(viewer_client, synced):
    url = reverse("lambda_:function_list")
    for finding, expected in [
        ("near_memory", ["image-resizer"]),
        ("near_timeout", ["nightly-report"]),
        ("deprecated_runtime", ["legacy-cron"]),
    ]:
        rows = csv_rows(viewer_client.get(url, {"finding": finding, "export": "csv"}))
        assert [r["function_name"] for r in rows] == expected, finding
    rows = csv_rows(viewer_client.get(url, {"vpc": "true", "export": "csv"}))
    assert [r["function_name"] for r in rows] == ["inventory-sync", "payments-webhook"]
    assert all(r["vpc_id"].startswith("vpc-") and len(r["subnet_ids"].split()) == 2 for r in rows)
    queue = csv_rows(viewer_client.get(url, {"q": "queue", "export": "csv"}))[0]
    assert (queue["reserved_concurrency"], queue["mapping_count"], queue["memory_mb"]) == ("20", "1", "512")
    page = text(viewer_client.get(url, {"runtime": "python3.7"}))
    assert "legacy-cron" in page and "deprecated" in page and "orders-api" not in page
    fragment = text(viewer_client.get(url, {"q": "resizer"}, headers={"HX-Request": "true"}))
    assert "image-resizer" in fragment and "<html" not in fragment
    for bad in ({"finding": "busy"}, {"vpc": "maybe"}, {"architecture": "sparc"}):
        answer = viewer_client.get(url, bad)
        assert answer.status_code == 400 and "queue-worker" not in text(answer), bad
    mappings = csv_rows(viewer_client.get(reverse("lambda_:event_source_mapping_list"), {"source_type": "sqs",
                                                                                      "export": "csv"}))  # fmt: skip
    assert [(m["function_name"], m["source_name"], m["batch_size"], m["state"]) for m in mappings] == [
        ("queue-worker", "orders-queue", "10", "Enabled")
    ]


def stage_owners(*, account, region, ids):
    """Another app's Owners finder: it gets the functions' names (the sync type's KEY)."""
    return {
        name: [Owner("API Gateway stage", "shop-api/prod", "/apigateway/x/")] for name in ids if name == "orders-api"
    }


def test_function_pages(viewer_client, synced, operator, django_assert_max_num_queries, monkeypatch):
    here = "tests.lambda_.test_views"
    monkeypatch.setattr(menu, "OWNERS", [Owners("lambda_functions", f"{here}.stage_owners", app="core")])
    url = reverse("lambda_:function_detail", args=[ACCOUNT, REGION, "orders-api"])
    viewer_client.get(url)
    with django_assert_max_num_queries(14):
        page = text(viewer_client.get(url))
    assert "shop-api/prod" in page and 'href="/apigateway/x/"' in page  # {% belongs_to %} under the title
    assert 'data-alias="live"' in page and 'data-version="2"' in page and "+ 1 at 10%" in page
    assert 'data-kind="lambda.update_config"' not in page  # a viewer sees no button it cannot use
    assert 'data-finding="unreferenced"' in page and 'data-finding="deprecated_runtime"' not in page

    webhook = Function.objects.get(function_name="payments-webhook")
    page = text(viewer_client.get(webhook.get_absolute_url()))
    group = webhook.security_group_ids[0]
    assert f'data-group="{group}"' in page and ">default</a>" in page  # named from the EC2 inventory, linked
    assert reverse("ec2:security_group_detail", args=[ACCOUNT, REGION, group]) in page
    assert webhook.vpc_id in page and webhook.subnet_ids[0] in page

    legacy = text(viewer_client.get(reverse("lambda_:function_detail", args=[ACCOUNT, REGION, "legacy-cron"])))
    assert (
        'data-finding="deprecated_runtime"' in legacy and '<span id="deprecation-date">4 December 2023</span>' in legacy
    )
    worker = text(viewer_client.get(reverse("lambda_:function_detail", args=[ACCOUNT, REGION, "queue-worker"])))
    assert "orders-queue" in worker and 'data-finding="unreferenced"' not in worker
    report = text(viewer_client.get(reverse("lambda_:function_detail", args=[ACCOUNT, REGION, "nightly-report"])))
    assert 'data-finding="near_timeout"' in report
    assert viewer_client.get(reverse("lambda_:function_detail", args=[ACCOUNT, REGION, "nope"])).status_code == 404

    client = Client()
    client.force_login(operator)
    page = text(client.get(url))
    assert 'data-kind="lambda.update_config"' in page and "p-memory_mb=512" in page
    assert 'data-kind="lambda.set_concurrency"' in page


def test_api_lists_filters_and_400s(client, viewer_client, synced):
    assert client.get(f"{API}/functions/").status_code == 401
    assert viewer_client.post(f"{API}/functions/", {}, content_type="application/json").status_code == 405
    found = viewer_client.get(f"{API}/functions/", {"finding": "near_memory"}).json()["results"]
    assert [(f["function_name"], f["memory_mb"], f["account_id"]) for f in found] == [("image-resizer", 10240, ACCOUNT)]
    orders = viewer_client.get(f"{API}/functions/", {"q": "orders-api"}).json()["results"][0]
    assert orders["aliases"][0]["name"] == "live" and [v["version"] for v in orders["versions"]] == ["2", "1"]
    vpc = viewer_client.get(f"{API}/functions/", {"vpc": "true", "runtime": "nodejs20.x"}).json()["results"]
    assert [f["function_name"] for f in vpc] == ["payments-webhook"] and len(vpc[0]["subnet_ids"]) == 2
    mappings = viewer_client.get(f"{API}/event-source-mappings/", {"function": "queue-worker"}).json()["results"]
    assert [(m["source_type"], m["source_name"], m["batch_size"]) for m in mappings] == [("sqs", "orders-queue", 10)]
    for path, params in [
        ("functions", {"finding": "slow"}),
        ("functions", {"vpc": "perhaps"}),
        ("functions", {"gone": "maybe"}),
        ("event-source-mappings", {"gone": "x"}),
    ]:
        answer = viewer_client.get(f"{API}/{path}/", params)
        assert answer.status_code == 400 and next(iter(params)) in answer.json(), (path, params)
