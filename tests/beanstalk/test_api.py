"""The Beanstalk REST endpoints: read-only, role-guarded, filtered like the pages, in the OpenAPI schema."""

import datetime as dt

import pytest
from django.core.management import call_command

from .factories import ApplicationFactory, EnvironmentFactory, EventFactory, VersionFactory

BASE = "/api/v1/beanstalk"


@pytest.fixture
def fleet(db):
    ApplicationFactory()
    VersionFactory(version_label="v41")
    VersionFactory(version_label="v42", status="PROCESSING")
    blue = EnvironmentFactory(environment_id="e-blue000001", environment_name="storefront-blue", prefix="storefront")
    blue.resources = {**blue.resources, "instances": ["i-0aaaaaaaaaaaaaaa1"]}
    blue.save()
    EnvironmentFactory(environment_id="e-worker0001", environment_name="storefront-worker", tier="Worker",
                       health="Yellow", health_status="Warning")  # fmt: skip
    EnvironmentFactory(
        environment_id="e-gone000001", environment_name="storefront-old", gone_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    now = dt.datetime.now(dt.UTC)
    EventFactory(message="old", event_date=now - dt.timedelta(days=2))
    EventFactory(message="new", severity="WARN", environment_name="storefront-worker", event_date=now)


def results(client, url):
    answer = client.get(url)
    assert answer.status_code == 200, answer.content[:300]
    return answer.json()["results"]


def test_anonymous_gets_401_and_writes_are_405(client, viewer_client, fleet):
    assert client.get(f"{BASE}/environments/").status_code == 401
    assert viewer_client.post(f"{BASE}/environments/", {}, content_type="application/json").status_code == 405


def test_environments_carry_their_resources_and_filter_like_the_page(viewer_client, fleet):
    rows = results(viewer_client, f"{BASE}/environments/")
    assert [r["environment_name"] for r in rows] == ["storefront-blue", "storefront-worker"]  # gone ones hidden
    blue = rows[0]
    assert (blue["account_id"], blue["region"], blue["environment_id"], blue["tier"]) == (
        "123456789012",
        "us-east-1",
        "e-blue000001",
        "WebServer",
    )
    assert blue["cname"] == "storefront.us-east-1.elasticbeanstalk.com"
    assert blue["resources"]["instances"] == ["i-0aaaaaaaaaaaaaaa1"]
    assert blue["resources"]["auto_scaling_groups"] == ["awseb-e-blue000001-stack-AWSEBAutoScalingGroup-X"]
    assert rows[1]["resources"]["queues"] == [{"name": "WorkerQueue", "url": "https://sqs/q"}]
    assert [r["environment_name"] for r in results(viewer_client, f"{BASE}/environments/?health=Yellow")] == [
        "storefront-worker"
    ]
    assert [r["environment_id"] for r in results(viewer_client, f"{BASE}/environments/?gone=true")] == ["e-gone000001"]
    bad = viewer_client.get(f"{BASE}/environments/?tier=Mainframe")
    assert bad.status_code == 400 and "tier" in bad.json()


def test_applications_versions_and_events(viewer_client, fleet):
    (app,) = results(viewer_client, f"{BASE}/applications/")
    assert (app["application_name"], app["version_labels"]) == ("storefront", ["v41", "v42"])
    versions = results(viewer_client, f"{BASE}/versions/?status=PROCESSING")
    assert [(v["version_label"], v["source_bundle"]) for v in versions] == [("v42", "s3://bundles/storefront/v42.zip")]
    events = results(viewer_client, f"{BASE}/events/")
    assert [e["message"] for e in events] == ["new", "old"]  # newest first
    assert [e["message"] for e in results(viewer_client, f"{BASE}/events/?environment=storefront-worker")] == ["new"]
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert [e["message"] for e in results(viewer_client, f"{BASE}/events/?since={since}")] == ["new"]


def test_the_schema_lists_the_beanstalk_endpoints_and_their_filters(viewer_client, db, tmp_path):
    schema = viewer_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for name in ("applications", "versions", "environments", "events"):
        assert f"/api/v1/beanstalk/{name}/" in schema["paths"]
        assert f"/api/v1/beanstalk/{name}/{{id}}/" in schema["paths"]
        assert set(schema["paths"][f"/api/v1/beanstalk/{name}/"]) == {"get"}
    params = {p["name"] for p in schema["paths"]["/api/v1/beanstalk/environments/"]["get"]["parameters"]}
    assert {"account", "region", "application", "tier", "status", "health", "q", "gone", "ordering"} <= params
    resources = schema["components"]["schemas"]["EnvironmentResources"]["properties"]
    assert resources["instances"]["type"] == "array" and "queues" in resources
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/beanstalk/environments/:" in out.read_text()
