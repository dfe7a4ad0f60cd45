"""The CloudFormation pages and API over the synced sandbox demo (seeded once for the module): the lists (filters,
htmx fragment, CSV, bounded queries), the stack page, the home page's panel, the API and its 400s."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import ACCOUNT, REGION

LISTS = ["stacks:stack_list", "stacks:resource_list", "stacks:event_list"]


def csv_rows(answer):
    return list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))


@pytest.mark.parametrize("name", LISTS)
def test_every_list_renders_with_bounded_queries(viewer_client, synced, name):
    url = reverse(name)
    viewer_client.get(url)  # warm the per-process caches (menu, content types)
    with CaptureQueriesContext(connection) as queries:
        answer = viewer_client.get(url)
    assert answer.status_code == 200 and "orders-sam" in answer.content.decode()
    # + one query for the values of every choice filter (fleetui.core.choices), whatever the rows
    assert len(queries) <= 15, [q["sql"][:100] for q in queries.captured_queries]
    assert viewer_client.get(url, HTTP_HX_REQUEST="true").status_code == 200


def test_stack_filters_findings_sam_and_csv(viewer_client, synced):
    url = reverse("stacks:stack_list")
    # The results only: the filter bar above them offers every stack's name.
    findings = viewer_client.get(url, {"finding": "true"}).content.decode().split('id="results"')[1]
    assert "billing-etl" in findings and "orders-sam" not in findings
    sam = viewer_client.get(url, {"sam": "true"}).content.decode().split('id="results"')[1]
    assert "orders-sam" in sam and "web-frontend" not in sam
    rows = csv_rows(viewer_client.get(url, {"export": "csv", "protected": "true"}))
    assert [(r["name"], r["termination_protection"], r["account_id"]) for r in rows] == [
        ("network-baseline", "True", ACCOUNT)
    ]
    assert viewer_client.get(url, {"finding": "maybe"}).status_code == 400
    assert viewer_client.get(url, {"drift": "SIDEWAYS"}).status_code == 400


def test_resource_list_links_to_the_inventory_and_filters_by_type(viewer_client, synced):
    url = reverse("stacks:resource_list")
    page = viewer_client.get(url, {"type": "AWS::EC2::Instance"}).content.decode()
    assert "WebInstance" in page and "OrdersFunction" not in page
    assert "web-frontend-1</a>" in page and reverse("ec2:instance_list") in page
    rows = csv_rows(viewer_client.get(url, {"export": "csv", "stack": "orders-sam", "type": "AWS::Lambda::Function"}))
    assert [(r["logical_id"], r["resource_type"]) for r in rows] == [("OrdersFunction", "AWS::Lambda::Function")]
    assert viewer_client.get(url, {"in_inventory": "sometimes"}).status_code == 400


def test_the_stack_page_and_a_missing_one(viewer_client, operator_client, synced):
    url = reverse("stacks:stack_detail", args=[ACCOUNT, REGION, "billing-etl"])
    page = viewer_client.get(url).content.decode()
    assert 'data-finding="failed"' in page and "UPDATE_ROLLBACK_FAILED" in page and "dependent object" in page
    assert "Detect drift" not in page  # a viewer sees no button
    assert "Detect drift" in operator_client.get(url).content.decode()
    sam = viewer_client.get(reverse("stacks:stack_detail", args=[ACCOUNT, REGION, "orders-sam"])).content.decode()
    assert 'id="sam"' in sam and "OrdersApiprodStage" in sam and "CREATE_COMPLETE" in sam
    assert viewer_client.get(reverse("stacks:stack_detail", args=[ACCOUNT, REGION, "nope"])).status_code == 404


def test_the_overview_panel_links_the_findings(viewer_client, synced):
    page = viewer_client.get(reverse("inventory:overview")).content.decode()
    assert 'data-finding="stacks_failed"' in page and "?finding=true" in page and "Failed or rolled-back stacks" in page


def test_the_api_lists_and_refuses_bad_filters(viewer_client, synced):
    stacks = viewer_client.get("/api/v1/stacks/stacks/", {"finding": "true"}).json()
    [row] = stacks["results"]
    assert (row["name"], row["finding"], row["is_sam"], row["account_id"]) == ("billing-etl", True, False, ACCOUNT)
    resources = viewer_client.get("/api/v1/stacks/resources/", {"stack": "orders-sam", "type": "AWS::Lambda::Function"})
    assert [r["logical_id"] for r in resources.json()["results"]] == ["OrdersFunction"]
    bad = viewer_client.get("/api/v1/stacks/stacks/", {"sam": "perhaps"})
    assert bad.status_code == 400 and "sam" in bad.json()
    assert viewer_client.post("/api/v1/stacks/stacks/", {}).status_code == 405
