"""The Batch pages over the synced sandbox demo: the lists (filters, htmx fragment, CSV, bounded queries, the jobs'
bulk bar), the compute environment page (vCPUs, queues, its EC2 instances linked to EC2, the update button), the
job queue page (counts by status, environments in order, latest jobs), EC2's instance page naming the environment,
and the home page's panel."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fleetui.ec2.models import Instance
from tests.conftest import fleet_for_module

from .conftest import ACCOUNT, REGION, demo_build, sync_all

LISTS = ["batch:compute_environment_list", "batch:job_queue_list", "batch:job_definition_list", "batch:job_list"]


@pytest.fixture(scope="module")
def synced_for_module(moto_server, django_db_setup, django_db_blocker):
    """The Batch demo synced, once for this module: its tests only read (tests/conftest.py)."""

    def build(account):
        demo = demo_build(moto_server)
        sync_all(account)
        return demo

    yield from fleet_for_module(moto_server, django_db_blocker, build)


@pytest.fixture
def synced(synced_for_module, db):
    return synced_for_module


def csv_rows(answer):
    return list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))


def env_url(name):
    return reverse("batch:compute_environment_detail", args=[ACCOUNT, REGION, name])


def queue_url(name):
    return reverse("batch:job_queue_detail", args=[ACCOUNT, REGION, name])


@pytest.mark.parametrize("name", LISTS)
def test_every_list_renders_with_bounded_queries(viewer_client, synced, name):
    url = reverse(name)
    viewer_client.get(url)  # warm the per-process caches (menu, content types)
    with CaptureQueriesContext(connection) as queries:
        answer = viewer_client.get(url)
    assert answer.status_code == 200
    assert "nightly-etl" in answer.content.decode() or "etl-spot" in answer.content.decode()
    # + one query for the values of every choice filter (fleetui.core.choices), whatever the rows
    assert len(queries) <= 13, [q["sql"][:100] for q in queries.captured_queries]
    assert viewer_client.get(url, HTTP_HX_REQUEST="true").status_code == 200


def test_environment_filters_and_csv(viewer_client, synced):
    url = reverse("batch:compute_environment_list")
    spot = viewer_client.get(url, {"resource_type": "SPOT"}).content.decode()
    assert "etl-spot" in spot and "render-fargate" not in spot
    used = viewer_client.get(url, {"queue": "render"}).content.decode()
    assert "render-fargate" in used and "etl-spot" not in used
    findings = viewer_client.get(url, {"finding": "true"}).content.decode()
    assert "legacy-ondemand" in findings and "etl-spot" not in findings
    assert viewer_client.get(url, {"resource_type": "CHEAP"}).status_code == 400
    assert viewer_client.get(url, {"state": "ON"}).status_code == 400
    rows = {row["name"]: row for row in csv_rows(viewer_client.get(url, {"export": "csv"}))}
    assert set(rows) == {"etl-ondemand", "etl-spot", "render-fargate", "legacy-ondemand"}
    spot_row = rows["etl-spot"]
    assert (spot_row["desired_vcpus"], spot_row["max_vcpus"], spot_row["allocation_strategy"]) == (
        "16", "256", "SPOT_CAPACITY_OPTIMIZED",
    )  # fmt: skip
    assert rows["render-fargate"]["desired_vcpus"] == ""


def test_job_filters_csv_and_bulk_bar(viewer_client, synced):
    url = reverse("batch:job_list")
    runnable = viewer_client.get(url, {"queue": "default", "status": "RUNNABLE"}).content.decode()
    assert "backfill-2024-01" in runnable and "backfill-2024-03" not in runnable
    assert viewer_client.get(url, {"status": "DONE"}).status_code == 400
    assert viewer_client.get(url, {"active": "maybe"}).status_code == 400
    rows = csv_rows(viewer_client.get(url, {"queue": "high-priority", "active": "false", "export": "csv"}))
    assert {(r["name"], r["status"]) for r in rows} == {
        ("etl-orders-0300", "SUCCEEDED"), ("etl-customers-0300", "FAILED"),
    }  # fmt: skip
    # A viewer runs no action: no row checkboxes.
    assert 'name="target"' not in viewer_client.get(url).content.decode()


def test_environment_page_shows_capacity_queues_and_instances(viewer_client, synced):
    with CaptureQueriesContext(connection) as queries:
        html = viewer_client.get(env_url("etl-ondemand")).content.decode()
    assert len(queries) <= 12
    assert "BEST_FIT_PROGRESSIVE" in html and "c5.xlarge, m5.large" in html
    assert 'data-queue="high-priority"' in html and 'data-queue="default"' in html
    assert 'data-queue="render"' not in html
    nodes = Instance.objects.filter(tags__contains={"AWSBatchServiceTag": "etl-ondemand"})
    assert nodes.count() == 2
    for node in nodes:
        assert reverse("ec2:instance_detail", args=[ACCOUNT, REGION, node.instance_id]) in html
    fargate = viewer_client.get(env_url("render-fargate")).content.decode()
    assert "Fargate has no minimum or desired vCPUs" in fargate
    assert viewer_client.get(env_url("nope")).status_code == 404


def test_queue_page_shows_counts_environments_and_latest_jobs(viewer_client, synced):
    with CaptureQueriesContext(connection) as queries:
        html = viewer_client.get(queue_url("default")).content.decode()
    assert len(queries) <= 12
    assert html.index('data-environment="etl-spot"') < html.index('data-environment="etl-ondemand"')
    assert 'data-status="RUNNABLE"' in html and "queue=default&amp;status=RUNNABLE" in html
    assert html.count('data-job="') == 7 and "backfill-2024-04" in html
    assert viewer_client.get(queue_url("nope")).status_code == 404


def test_ec2_instance_page_names_the_compute_environment(viewer_client, synced):
    node = Instance.objects.filter(tags__contains={"AWSBatchServiceTag": "etl-spot"}).first()
    html = viewer_client.get(reverse("ec2:instance_detail", args=[ACCOUNT, REGION, node.instance_id])).content.decode()
    assert "AWS Batch compute environment" in html and env_url("etl-spot") in html


def test_home_panel_shows_jobs_by_status_and_environment_findings(viewer_client, synced):
    html = viewer_client.get(reverse("inventory:overview")).content.decode()
    assert 'data-finding="batch_runnable"' in html and f"{reverse('batch:job_list')}?status=RUNNABLE" in html
    assert "0 invalid, 1 disabled" in html
