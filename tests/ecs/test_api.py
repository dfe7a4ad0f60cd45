"""The ECS REST API on the synced demo: every path lists, filters like the pages, refuses invalid values with a
400, and is in the OpenAPI schema with its filters."""

import pytest

BASE = "/api/v1/ecs"
PATHS = ["clusters", "services", "tasks", "task-definitions", "container-instances"]


@pytest.fixture
def synced(synced_for_module, db):
    """The synced demo, made once for this module: its tests only read."""
    return synced_for_module


def results(client, url, **params):
    answer = client.get(url, params)
    assert answer.status_code == 200, answer.content[:300]
    return answer.json()["results"]


@pytest.mark.parametrize("path", PATHS)
def test_every_path_lists(viewer_client, synced, path):
    assert results(viewer_client, f"{BASE}/{path}/")


def test_anonymous_gets_401_and_writes_are_405(client, viewer_client, db):
    assert client.get(f"{BASE}/services/").status_code == 401
    assert viewer_client.post(f"{BASE}/services/", {}, content_type="application/json").status_code == 405


def test_filters_like_the_pages(viewer_client, synced):
    spot = results(viewer_client, f"{BASE}/services/", launch_type="FARGATE_SPOT")
    assert sorted(s["service_name"] for s in spot) == ["dashboards", "image-resizer"]
    below = results(viewer_client, f"{BASE}/services/", below_desired="true", region="us-east-1")
    assert [s["service_name"] for s in below] == ["reports-generator"] and below[0]["below_desired"] is True
    failed = results(viewer_client, f"{BASE}/services/", rollout_state="FAILED")
    assert [s["service_name"] for s in failed] == ["dashboards"] and failed[0]["deployments"][0]["status"] == "PRIMARY"
    ec2_tasks = results(viewer_client, f"{BASE}/tasks/", launch_type="EC2", cluster="shop-prod")
    assert len(ec2_tasks) == 4 and all(task["ec2_instance_id"].startswith("i-") for task in ec2_tasks)
    assert len(results(viewer_client, f"{BASE}/tasks/", service="web")) == 3
    hosts = results(viewer_client, f"{BASE}/container-instances/", cluster="shop-prod", status="ACTIVE")
    assert len(hosts) == 3
    assert results(viewer_client, f"{BASE}/clusters/", region="eu-west-1")[0]["cluster_name"] == "analytics-prod"
    fargate = results(viewer_client, f"{BASE}/task-definitions/", compatibility="FARGATE", family="storefront-web")
    assert fargate[0]["containers"][0]["image"] == "public.ecr.aws/nginx/nginx:1.27"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("services", {"launch_type": "SPOT"}),
        ("services", {"rollout_state": "DONE"}),
        ("services", {"finding": "perhaps"}),
        ("tasks", {"launch_type": "lambda"}),
        ("task-definitions", {"compatibility": "K8S"}),
    ],
)
def test_invalid_values_are_400(viewer_client, db, path, params):
    answer = viewer_client.get(f"{BASE}/{path}/", params)
    assert answer.status_code == 400 and next(iter(params)) in answer.json()


def test_the_schema_lists_the_ecs_endpoints_and_their_filters(viewer_client, db):
    schema = viewer_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in PATHS:
        assert f"{BASE}/{path}/" in schema["paths"]
        assert set(schema["paths"][f"{BASE}/{path}/"]) == {"get"}
    params = {p["name"] for p in schema["paths"][f"{BASE}/services/"]["get"]["parameters"]}
    assert {"account", "region", "cluster", "launch_type", "status", "below_desired", "finding"} <= params
    task_params = {p["name"] for p in schema["paths"][f"{BASE}/tasks/"]["get"]["parameters"]}
    assert {"account", "region", "cluster", "launch_type", "last_status"} <= task_params
