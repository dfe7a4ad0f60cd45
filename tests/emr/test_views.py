"""The EMR pages over the sandbox's demo clusters of us-east-1, synced: `etl-nightly` (RUNNING a step, with an idle
timeout, a spot TASK group) and `hbase-archive` (WAITING with no step for 30 hours and no auto-termination: both
findings). The lists (filters, htmx fragment, CSV, bounded queries), the cluster page, EC2's instance page naming
the cluster and group, the home page's panel, and the REST API (filters, 400s, OpenAPI schema)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fleetui.emr.models import EmrCluster, EmrInstance, InstanceGroup
from fleetui.sandbox.emr.seed import emr_seed
from tests.conftest import fleet_for_module

from .conftest import ACCOUNT, REGION, emr_client, sync_all

LISTS = ["emr:cluster_list", "emr:instance_group_list", "emr:step_list", "emr:instance_list"]
API = "/api/v1/emr"


@pytest.fixture(scope="module")
def synced_for_module(moto_server, django_db_setup, django_db_blocker):
    """The EMR demo synced, once for this module: its tests only read (tests/conftest.py)."""

    def build(account):
        emr_client(moto_server)
        counts = emr_seed(endpoint=moto_server, regions=[REGION])
        sync_all(account)
        return counts

    yield from fleet_for_module(moto_server, django_db_blocker, build)


@pytest.fixture
def synced(synced_for_module, db):
    return synced_for_module


def csv_rows(answer):
    return list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))


def names(answer) -> str:
    """The results (the filter bar above them offers every cluster's name)."""
    return answer.content.decode().split('id="results"')[-1]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_renders_with_bounded_queries(viewer_client, synced, name):
    url = reverse(name)
    viewer_client.get(url)  # warm the per-process caches (menu, content types)
    with CaptureQueriesContext(connection) as queries:
        answer = viewer_client.get(url)
    assert answer.status_code == 200
    assert "etl-nightly" in answer.content.decode()
    assert len(queries) <= 12, [q["sql"][:100] for q in queries.captured_queries]


def test_cluster_findings_filter_and_csv(viewer_client, synced):
    assert synced == {"clusters": 2, "groups": 5, "steps": 4, "instances": 11}
    url = reverse("emr:cluster_list")
    idle = names(viewer_client.get(url, {"finding": "idle"}))
    assert "hbase-archive" in idle and "etl-nightly" not in idle
    bare = names(viewer_client.get(url, {"finding": "no_auto_termination"}))
    assert "hbase-archive" in bare and "etl-nightly" not in bare
    rows = csv_rows(viewer_client.get(url, {"state": "RUNNING", "export": "csv"}))
    assert [(r["name"], r["state"], r["idle_timeout"]) for r in rows] == [("etl-nightly", "RUNNING", "3600")]
    assert rows[0]["application_names"] == "Hive, Spark"
    fragment = viewer_client.get(url, {"q": "hbase"}, headers={"HX-Request": "true"})
    assert "hbase-archive" in names(fragment) and "<html" not in names(fragment)


def test_group_step_and_instance_filters(viewer_client, synced):
    groups = csv_rows(viewer_client.get(reverse("emr:instance_group_list"), {"market": "SPOT", "export": "csv"}))
    assert [(g["cluster_name"], g["group_type"], g["bid_price"], g["running_count"]) for g in groups] == [
        ("etl-nightly", "TASK", "0.10", "4")
    ]
    core = csv_rows(viewer_client.get(reverse("emr:instance_group_list"), {"group_type": "CORE", "export": "csv"}))
    assert sorted(g["cluster_name"] for g in core) == ["etl-nightly", "hbase-archive"]
    steps = csv_rows(viewer_client.get(reverse("emr:step_list"), {"state": "FAILED", "export": "csv"}))
    assert [(s["name"], s["state"]) for s in steps] == [("dedupe-customers", "FAILED")]
    assert "exitCode 1" in steps[0]["state_change_message"]
    spot = csv_rows(viewer_client.get(reverse("emr:instance_list"), {"market": "SPOT", "export": "csv"}))
    assert len(spot) == 4 and all(r["ec2_instance_id"].startswith("i-") for r in spot)


def test_cluster_page_shows_groups_steps_instances_and_findings(viewer_client, synced, django_assert_max_num_queries):
    cluster = EmrCluster.objects.get(name="etl-nightly")
    url = reverse("emr:cluster_detail", args=[ACCOUNT, REGION, cluster.cluster_id])
    viewer_client.get(url)
    with django_assert_max_num_queries(14):
        page = names(viewer_client.get(url))
    task = InstanceGroup.objects.get(cluster_id=cluster.cluster_id, group_type="TASK")
    assert f'data-group="{task.instance_group_id}"' in page and "$0.10/h" in page
    for step in ("ingest-orders", "dedupe-customers", "build-marts", "export-reports"):
        assert step in page
    spot = EmrInstance.objects.filter(instance_group_id=task.instance_group_id).first()
    assert reverse("ec2:instance_detail", args=[ACCOUNT, REGION, spot.ec2_instance_id]) in page
    assert 'data-finding="idle"' not in page  # it runs a step
    archive = EmrCluster.objects.get(name="hbase-archive")
    page = names(viewer_client.get(reverse("emr:cluster_detail", args=[ACCOUNT, REGION, archive.cluster_id])))
    assert 'data-finding="idle"' in page and 'data-finding="no_auto_termination"' in page
    assert viewer_client.get(reverse("emr:cluster_detail", args=[ACCOUNT, REGION, "j-NOPE"])).status_code == 404


def test_ec2_instance_page_names_the_emr_cluster_and_group(viewer_client, synced):
    task = InstanceGroup.objects.get(cluster_name="etl-nightly", group_type="TASK")
    instance = EmrInstance.objects.filter(instance_group_id=task.instance_group_id).first()
    page = names(viewer_client.get(reverse("ec2:instance_detail", args=[ACCOUNT, REGION, instance.ec2_instance_id])))
    assert "EMR cluster" in page and "etl-nightly, TASK group Task - spot (spot)" in page


def test_home_panel_counts_the_findings(viewer_client, synced):
    page = names(viewer_client.get("/"))
    assert 'data-finding="emr_idle"' in page and 'data-finding="emr_no_auto_termination"' in page
    assert "Idle clusters" in page


def test_api_lists_filters_and_400s(client, viewer_client, synced):
    assert client.get(f"{API}/clusters/").status_code == 401
    assert viewer_client.post(f"{API}/clusters/", {}, content_type="application/json").status_code == 405
    clusters = viewer_client.get(f"{API}/clusters/", {"finding": "idle"}).json()["results"]
    assert [(c["name"], c["state"], c["account_id"]) for c in clusters] == [("hbase-archive", "WAITING", ACCOUNT)]
    assert clusters[0]["applications"] == [{"name": "HBase", "version": ""}, {"name": "Hadoop", "version": ""}]
    groups = viewer_client.get(f"{API}/instance-groups/", {"group_type": "TASK", "market": "SPOT"}).json()["results"]
    assert [(g["cluster_name"], g["requested_count"], g["instance_types"]) for g in groups] == [
        ("etl-nightly", 4, ["m5.xlarge"])
    ]
    steps = viewer_client.get(f"{API}/steps/", {"cluster": "etl-nightly", "state": "RUNNING"}).json()["results"]
    assert [s["name"] for s in steps] == ["build-marts"]
    instances = viewer_client.get(f"{API}/instances/", {"cluster": "hbase-archive"}).json()["results"]
    assert len(instances) == 4
    for path, params in [
        ("clusters", {"finding": "busy"}),
        ("instance-groups", {"group_type": "WORKER"}),
        ("instance-groups", {"market": "CHEAP"}),
        ("instances", {"market": "RESERVED"}),
        ("clusters", {"gone": "maybe"}),
    ]:
        answer = viewer_client.get(f"{API}/{path}/", params)
        assert answer.status_code == 400, (path, params)


def test_openapi_schema_types_the_emr_endpoints(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--validate", "--fail-on-warn")
    schema = out.read_text()
    for path in (
        "/api/v1/emr/clusters/",
        "/api/v1/emr/instance-groups/",
        "/api/v1/emr/steps/",
        "/api/v1/emr/instances/",
    ):
        assert path in schema
    assert "EmrCluster:" in schema and "EmrInstanceGroup:" in schema
