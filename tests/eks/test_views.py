"""The EKS pages over a sandbox-synced cluster: the lists (filters, htmx fragment, CSV, bounded queries), the cluster
page, the nodegroup page (scaling, health issues, ASGs, nodes linked to EC2) and EC2's instance page naming the
nodegroup an instance is a node of; the home page's panel."""

import csv
import io

import pytest
import requests
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fleetui.ec2.models import Instance
from fleetui.eks.models import Nodegroup
from tests.conftest import fleet_for_module

from .conftest import ACCOUNT, REGION, eks_client, platform_build, sync_all

LISTS = ["eks:cluster_list", "eks:nodegroup_list", "eks:fargate_profile_list", "eks:addon_list"]
ISSUE = {"code": "AsgInstanceLaunchFailures", "message": "Could not launch Spot Instances."}


@pytest.fixture(scope="module")
def synced_for_module(moto_server, django_db_setup, django_db_blocker):
    """The platform cluster synced, once for this module: its tests only read (tests/conftest.py)."""

    def build(account):
        platform = platform_build(eks_client(moto_server), moto_server)
        health = {"account_id": ACCOUNT, "region": REGION, "cluster": "platform-prod", "nodegroup": "batch-spot"}
        requests.post(f"{moto_server}/fleetui-sandbox/eks/health", json={**health, "issues": [ISSUE]}, timeout=10)
        sync_all(account)
        return platform

    yield from fleet_for_module(moto_server, django_db_blocker, build)


@pytest.fixture
def synced(synced_for_module, db):
    return synced_for_module


def csv_rows(answer):
    return list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))


def nodegroup_url(name):
    return reverse("eks:nodegroup_detail", args=[ACCOUNT, REGION, "platform-prod", name])


@pytest.mark.parametrize("name", LISTS)
def test_every_list_renders_with_bounded_queries(viewer_client, synced, name):
    url = reverse(name)
    viewer_client.get(url)  # warm the per-process caches (menu, content types)
    with CaptureQueriesContext(connection) as queries:
        answer = viewer_client.get(url)
    assert answer.status_code == 200
    assert "platform-prod" in answer.content.decode()
    assert len(queries) <= 12, [q["sql"][:100] for q in queries.captured_queries]


def test_nodegroup_filters_and_csv(viewer_client, synced):
    url = reverse("eks:nodegroup_list")
    spot = viewer_client.get(url, {"capacity_type": "SPOT"}).content.decode()
    assert "batch-spot" in spot and ">general<" not in spot
    issues = viewer_client.get(url, {"has_health_issues": "true"}).content.decode()
    assert "batch-spot" in issues and "AsgInstanceLaunchFailures" in issues and ">general<" not in issues
    healthy = viewer_client.get(url, {"finding": "false"}).content.decode()
    assert ">general<" in healthy and "batch-spot" not in healthy
    assert viewer_client.get(url, {"capacity_type": "CHEAP"}).status_code == 400
    assert viewer_client.get(url, {"has_health_issues": "maybe"}).status_code == 400
    answer = viewer_client.get(url, {"cluster": "platform-prod", "export": "csv"})
    rows = csv_rows(answer)
    by_name = {row["nodegroup_name"]: row for row in rows}
    assert set(by_name) == {"general", "batch-spot"}
    assert (by_name["batch-spot"]["capacity_type"], by_name["batch-spot"]["desired_size"]) == ("SPOT", "2")
    assert by_name["batch-spot"]["health_issue_codes"] == "AsgInstanceLaunchFailures"
    assert by_name["batch-spot"]["instance_types"] == "m5.large m5a.large"


def test_fargate_and_addon_lists_filter(viewer_client, synced):
    profiles = viewer_client.get(reverse("eks:fargate_profile_list"), {"namespace": "jobs"})
    assert "k8s-app" in profiles.content.decode()

    def listed(namespace: str) -> list[str]:  # the rows, not the page: the top bar says "Data and serverless"
        page = viewer_client.get(reverse("eks:fargate_profile_list"), {"namespace": namespace})
        return [row.record.fargate_profile_name for row in page.context["table"].page.object_list]

    assert listed("jobs") == ["serverless"] and listed("x") == []
    answer = viewer_client.get(reverse("eks:addon_list"), {"addon": "coredns", "export": "csv"})
    rows = csv_rows(answer)
    assert [(r["addon_name"], r["addon_version"]) for r in rows] == [("coredns", "v1.11.3-eksbuild.2")]


def test_cluster_page_shows_nodegroups_profiles_and_addons(viewer_client, synced):
    url = reverse("eks:cluster_detail", args=[ACCOUNT, REGION, "platform-prod"])
    with CaptureQueriesContext(connection) as queries:
        html = viewer_client.get(url).content.decode()
    assert len(queries) <= 12
    assert "1.31" in html and synced["cluster"]["endpoint"] in html
    assert 'data-nodegroup="general"' in html and 'data-nodegroup="batch-spot"' in html
    assert nodegroup_url("batch-spot") in html
    assert 'data-profile="serverless"' in html and "kube-dns" in html
    for addon in ("vpc-cni", "coredns", "kube-proxy"):
        assert f'data-addon="{addon}"' in html
    assert "v1.31.1-eksbuild.2" in html
    assert viewer_client.get(reverse("eks:cluster_detail", args=[ACCOUNT, REGION, "nope"])).status_code == 404


def test_nodegroup_page_shows_scaling_issues_and_its_nodes(viewer_client, synced):
    html = viewer_client.get(nodegroup_url("batch-spot")).content.decode()
    spot = Nodegroup.objects.get(nodegroup_name="batch-spot")
    assert "AsgInstanceLaunchFailures" in html and "Could not launch Spot Instances." in html
    assert spot.autoscaling_groups[0] in html
    nodes = Instance.objects.filter(tags__contains={"eks:nodegroup-name": "batch-spot"})
    assert nodes.count() == 2
    for node in nodes:
        assert reverse("ec2:instance_detail", args=[ACCOUNT, REGION, node.instance_id]) in html
        assert node.lifecycle == "spot"
    assert html.count('data-instance="') == 2
    assert viewer_client.get(nodegroup_url("nope")).status_code == 404


def test_ec2_instance_page_names_the_eks_nodegroup(viewer_client, synced):
    node = Instance.objects.filter(tags__contains={"eks:nodegroup-name": "general"}).first()
    html = viewer_client.get(reverse("ec2:instance_detail", args=[ACCOUNT, REGION, node.instance_id])).content.decode()
    assert "EKS node" in html and "cluster platform-prod, nodegroup general" in html
    assert nodegroup_url("general") in html


def test_home_panel_shows_the_spot_share_and_issues(viewer_client, synced):
    html = viewer_client.get(reverse("inventory:overview")).content.decode()
    # 2 spot of 5 desired nodes (general 3 on-demand, batch-spot 2 spot).
    assert "40%" in html and "2 spot of 5 desired nodes" in html
    assert f"{reverse('eks:nodegroup_list')}?has_health_issues=true" in html
    assert f"{reverse('eks:nodegroup_list')}?capacity_type=SPOT" in html
