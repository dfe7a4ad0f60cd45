"""The Batch REST endpoints over the synced sandbox demo: read-only, filtered like the pages (an invalid value is a
400 naming the field), typed in the OpenAPI schema."""

import pytest
from django.core.management import call_command

from tests.conftest import fleet_for_module

from .conftest import ACCOUNT, BATCH_TYPES, demo_build, sync_all

BASE = "/api/v1/batch"


@pytest.fixture(scope="module")
def synced_for_module(moto_server, django_db_setup, django_db_blocker):
    """The Batch demo synced, once for this module: its tests only read (tests/conftest.py)."""

    def build(account):
        demo = demo_build(moto_server)
        sync_all(account, types=tuple(BATCH_TYPES))
        return demo

    yield from fleet_for_module(moto_server, django_db_blocker, build)


@pytest.fixture
def synced(synced_for_module, db):
    return synced_for_module


def results(client, url, **params):
    answer = client.get(url, params)
    assert answer.status_code == 200, answer.content[:300]
    return answer.json()["results"]


def test_anonymous_gets_401_and_writes_are_405(client, viewer_client, synced):
    assert client.get(f"{BASE}/jobs/").status_code == 401
    assert viewer_client.post(f"{BASE}/jobs/", {}, content_type="application/json").status_code == 405


def test_lists_and_their_fields(viewer_client, synced):
    envs = {e["name"]: e for e in results(viewer_client, f"{BASE}/compute-environments/")}
    assert set(envs) == {"etl-ondemand", "etl-spot", "render-fargate", "legacy-ondemand"}
    spot = envs["etl-spot"]
    assert (spot["account_id"], spot["resource_type"], spot["desired_vcpus"], spot["max_vcpus"]) == (
        ACCOUNT, "SPOT", 16, 256,
    )  # fmt: skip
    assert envs["render-fargate"]["min_vcpus"] is None
    queues = results(viewer_client, f"{BASE}/job-queues/")
    assert [q["name"] for q in queues] == ["high-priority", "render", "default", "legacy"]  # by priority
    assert queues[0]["compute_environment_order"][0]["name"] == "etl-ondemand"
    assert queues[0]["job_counts"]["RUNNING"] == 2
    definitions = results(viewer_client, f"{BASE}/job-definitions/")
    assert {(d["name"], d["revision"]) for d in definitions} == {
        ("image-resize", 1), ("nightly-etl", 3), ("report-render", 1),
    }  # fmt: skip
    jobs = results(viewer_client, f"{BASE}/jobs/", queue="render")
    assert {j["name"] for j in jobs} == {"render-monthly-report", "render-weekly-report", "render-invoice-batch"}


def test_filters(viewer_client, synced):
    envs = f"{BASE}/compute-environments/"
    assert [e["name"] for e in results(viewer_client, envs, resource_type="FARGATE")] == ["render-fargate"]
    assert [e["name"] for e in results(viewer_client, envs, state="DISABLED")] == ["legacy-ondemand"]
    assert {e["name"] for e in results(viewer_client, envs, queue="default")} == {"etl-spot", "etl-ondemand"}
    assert results(viewer_client, envs, region="eu-west-1") == []
    queues = f"{BASE}/job-queues/"
    assert {q["name"] for q in results(viewer_client, queues, compute_environment="etl-spot")} == {
        "high-priority", "default",
    }  # fmt: skip
    jobs = f"{BASE}/jobs/"
    assert {j["name"] for j in results(viewer_client, jobs, status="RUNNING,STARTING")} == {
        "etl-orders-0400", "etl-payments-0400", "etl-refunds-0400", "render-monthly-report",
    }  # fmt: skip
    assert len(results(viewer_client, jobs, q="backfill", active="true")) == 4
    definitions = f"{BASE}/job-definitions/"
    assert [d["name"] for d in results(viewer_client, definitions, platform="FARGATE")] == ["report-render"]
    for path, bad in [("compute-environments", {"resource_type": "CHEAP"}), ("job-queues", {"status": "OK"}),
                      ("jobs", {"status": "DONE"}), ("jobs", {"active": "maybe"}),
                      ("job-definitions", {"platform": "LAMBDA"})]:  # fmt: skip
        answer = viewer_client.get(f"{BASE}/{path}/", bad)
        assert answer.status_code == 400, (path, bad)
        assert set(answer.json()) == set(bad)


def test_openapi_schema_has_the_batch_paths(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--validate")
    text = out.read_text()
    for path in ("compute-environments", "job-queues", "job-definitions", "jobs"):
        assert f"/api/v1/batch/{path}/:" in text
    assert "BatchJob:" in text and "job_counts" in text
