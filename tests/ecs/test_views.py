"""The ECS pages on the synced demo: every list renders, filters and exports CSV in a bounded number of queries;
the cluster and service pages; the EC2 instance page names its cluster; the home page's containers panel."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fleetui.ecs.models import ContainerInstance, Service

ACCOUNT_ID, REGION = "123456789012", "us-east-1"
LISTS = ["service_list", "cluster_list", "task_list", "task_definition_list", "container_instance_list"]


@pytest.fixture
def synced(synced_for_module, db):
    """The synced demo, made once for this module: its tests only read."""
    return synced_for_module


@pytest.mark.parametrize("name", LISTS)
def test_every_list_renders_in_bounded_queries(viewer_client, synced, name):
    url = reverse(f"ecs:{name}")
    with CaptureQueriesContext(connection) as queries:
        page = viewer_client.get(url)
    assert page.status_code == 200
    assert len(queries.captured_queries) <= 15
    assert "shop-prod" in page.content.decode() or name == "task_definition_list"


def test_services_list_filters_and_findings(viewer_client, synced):
    url = reverse("ecs:service_list")
    body = viewer_client.get(url, {"launch_type": "FARGATE_SPOT"}).content.decode()
    assert "image-resizer" in body and "dashboards" in body and "orders-worker" not in body
    assert body.count("FARGATE_SPOT</span>") == 2  # the Capacity cells show each service's strategy
    below = viewer_client.get(url, {"below_desired": "true"}).content.decode()
    assert "reports-generator" in below and ">web<" not in below and "0 of 2 tasks running" in below
    findings = viewer_client.get(url, {"finding": "true"}).content.decode()
    assert "dashboards" in findings and "rollout failed" in findings and "checkout-api" not in findings
    assert viewer_client.get(url, {"launch_type": "BOGUS"}).status_code == 400
    assert viewer_client.get(url, {"below_desired": "maybe"}).status_code == 400


def test_services_csv_is_what_the_page_shows(viewer_client, synced):
    answer = viewer_client.get(reverse("ecs:service_list"), {"cluster": "shop-prod", "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))
    assert sorted(row["service_name"] for row in rows) == [
        "checkout-api", "image-resizer", "orders-worker", "reports-generator", "web"
    ]  # fmt: skip
    spot = next(row for row in rows if row["service_name"] == "image-resizer")
    assert spot["launch_type"] == "" and "FARGATE_SPOT:3" in spot["strategy"]
    assert next(row for row in rows if row["service_name"] == "reports-generator")["below_desired"] == "True"


def test_tasks_list_links_the_ec2_host(viewer_client, synced):
    body = viewer_client.get(reverse("ecs:task_list"), {"launch_type": "EC2"}).content.decode()
    host = ContainerInstance.objects.filter(running_tasks_count__gt=0).first()
    assert reverse("ec2:instance_detail", args=[ACCOUNT_ID, REGION, host.ec2_instance_id]) in body
    spot = viewer_client.get(reverse("ecs:task_list"), {"launch_type": "FARGATE_SPOT", "cluster": "shop-prod"})
    assert spot.content.decode().count("FARGATE_SPOT</span>") == 3


def test_cluster_page(viewer_client, synced):
    with CaptureQueriesContext(connection) as queries:
        page = viewer_client.get(reverse("ecs:cluster_detail", args=[ACCOUNT_ID, REGION, "shop-prod"]))
    body = page.content.decode()
    assert page.status_code == 200 and len(queries.captured_queries) <= 12
    assert "reports-generator" in body and "0 of 2 tasks running" in body
    for host in ContainerInstance.objects.filter(cluster_name="shop-prod"):
        assert f'data-instance="{host.ec2_instance_id}"' in body
    assert "3 on FARGATE_SPOT" in body and "4 on EC2" in body
    missing = viewer_client.get(reverse("ecs:cluster_detail", args=[ACCOUNT_ID, REGION, "nope"]))
    assert missing.status_code == 404


def test_service_page_shows_deployments_events_and_tasks(viewer_client, synced):
    url = reverse("ecs:service_detail", args=[ACCOUNT_ID, "eu-west-1", "analytics-prod", "dashboards"])
    body = viewer_client.get(url).content.decode()
    assert "rollout failed" in body and "FAILED" in body and "dashboards:2" in body
    assert "deployment failed: tasks failed to start." in body
    assert body.count('data-task="') == 1
    web = viewer_client.get(reverse("ecs:service_detail", args=[ACCOUNT_ID, REGION, "shop-prod", "web"]))
    assert "has reached a steady state." in web.content.decode() and web.content.decode().count('data-task="') == 3


def test_ec2_instance_page_names_the_cluster(viewer_client, synced):
    host = ContainerInstance.objects.filter(cluster_name="shop-prod").first()
    body = viewer_client.get(reverse("ec2:instance_detail", args=[ACCOUNT_ID, REGION, host.ec2_instance_id]))
    assert "ECS container instance of cluster" in body.content.decode()
    assert reverse("ecs:cluster_detail", args=[ACCOUNT_ID, REGION, "shop-prod"]) in body.content.decode()


def test_home_page_panel_counts_and_links(viewer_client, synced):
    body = viewer_client.get("/").content.decode()
    assert "Services below their desired count" in body
    assert f"{reverse('ecs:service_list')}?below_desired=true" in body
    assert f"{reverse('ecs:task_list')}?last_status=RUNNING&amp;launch_type=FARGATE_SPOT" in body
    assert Service.objects.filter(rollout_state="FAILED").count() == 1
