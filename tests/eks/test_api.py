"""The EKS REST endpoints over a sandbox-synced cluster: read-only, filtered like the pages (an invalid value is a
400), typed in the OpenAPI schema."""

import pytest
import requests
from django.core.management import call_command

from tests.conftest import fleet_for_module

from .conftest import ACCOUNT, REGION, eks_client, platform_build, sync_all

BASE = "/api/v1/eks"


@pytest.fixture(scope="module")
def synced_for_module(moto_server, django_db_setup, django_db_blocker):
    """The platform cluster synced, once for this module: its tests only read (tests/conftest.py)."""

    def build(account):
        platform = platform_build(eks_client(moto_server), moto_server)
        issue = {"code": "NodeCreationFailure", "message": "Instances failed to join the kubernetes cluster"}
        health = {"account_id": ACCOUNT, "region": REGION, "cluster": "platform-prod", "nodegroup": "general"}
        requests.post(f"{moto_server}/fleetui-sandbox/eks/health", json={**health, "issues": [issue]}, timeout=10)
        sync_all(account, types=("eks_clusters", "eks_nodegroups", "eks_fargate_profiles", "eks_addons"))
        return platform

    yield from fleet_for_module(moto_server, django_db_blocker, build)


@pytest.fixture
def synced(synced_for_module, db):
    return synced_for_module


def results(client, url, **params):
    answer = client.get(url, params)
    assert answer.status_code == 200, answer.content[:300]
    return answer.json()["results"]


def test_anonymous_gets_401_and_writes_are_405(client, viewer_client, synced):
    assert client.get(f"{BASE}/nodegroups/").status_code == 401
    assert viewer_client.post(f"{BASE}/nodegroups/", {}, content_type="application/json").status_code == 405


def test_lists_and_their_fields(viewer_client, synced):
    [cluster] = results(viewer_client, f"{BASE}/clusters/")
    assert (cluster["account_id"], cluster["cluster_name"], cluster["version"]) == (ACCOUNT, "platform-prod", "1.31")
    nodegroups = {ng["nodegroup_name"]: ng for ng in results(viewer_client, f"{BASE}/nodegroups/")}
    general = nodegroups["general"]
    assert general["nodegroup_arn"] == synced["general"]["nodegroupArn"]
    assert (general["min_size"], general["desired_size"], general["max_size"]) == (2, 3, 6)
    assert general["health_issues"][0]["code"] == "NodeCreationFailure"
    assert general["status"] == "DEGRADED"
    assert nodegroups["batch-spot"]["instance_types"] == ["m5.large", "m5a.large"]
    [profile] = results(viewer_client, f"{BASE}/fargate-profiles/")
    assert profile["selectors"][1] == {"namespace": "kube-system", "labels": {"k8s-app": "kube-dns"}}
    addons = results(viewer_client, f"{BASE}/addons/")
    assert sorted(a["addon_name"] for a in addons) == ["coredns", "kube-proxy", "vpc-cni"]


def test_filters(viewer_client, synced):
    url = f"{BASE}/nodegroups/"
    assert [n["nodegroup_name"] for n in results(viewer_client, url, capacity_type="SPOT")] == ["batch-spot"]
    assert [n["nodegroup_name"] for n in results(viewer_client, url, has_health_issues="true")] == ["general"]
    assert [n["nodegroup_name"] for n in results(viewer_client, url, status="DEGRADED")] == ["general"]
    assert len(results(viewer_client, url, cluster="platform-prod", account=ACCOUNT, region=REGION)) == 2
    unknown = viewer_client.get(url, {"cluster": "other"})  # a cluster the inventory never held
    assert unknown.status_code == 400
    assert unknown.json() == {"cluster": ["Not a valid choice: other. Valid: platform-prod."]}
    assert results(viewer_client, url, region="eu-west-1") == []
    assert len(results(viewer_client, f"{BASE}/clusters/", status="ACTIVE")) == 1
    assert len(results(viewer_client, f"{BASE}/fargate-profiles/", cluster="platform-prod", status="ACTIVE")) == 1
    for path, bad in [("nodegroups", {"capacity_type": "CHEAP"}), ("nodegroups", {"has_health_issues": "maybe"}),
                      ("clusters", {"gone": "perhaps"}), ("addons", {"has_health_issues": "2"})]:  # fmt: skip
        answer = viewer_client.get(f"{BASE}/{path}/", bad)
        assert answer.status_code == 400, (path, bad)
        assert set(answer.json()) == set(bad)


def test_openapi_schema_has_the_eks_paths(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(out), "--validate")
    text = out.read_text()
    for path in ("/api/v1/eks/clusters/", "/api/v1/eks/nodegroups/", "/api/v1/eks/fargate-profiles/"):
        assert f"{path}:" in text
    assert "capacity_type" in text and "has_health_issues" in text
