"""The OpenAPI schema is served, valid, warning-free, and the docs page needs no CDN."""

import re

from django.core.management import call_command

from fleetui import api_urls

LIST_PATHS = {
    f"/api/v1/{prefix}/"
    for prefix in [
        "ec2/instances",
        "ec2/placement-groups",
        "ec2/key-pairs",
        "ec2/elastic-ips",
        "ec2/images",
        "ec2/security-groups",
        "ec2/network-interfaces",
        "ec2/volumes",
        "ec2/instance-types",
        "accounts",
        "sync-runs",
    ]
}


def test_schema_endpoint_returns_openapi_with_every_list(viewer_client):
    answer = viewer_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert answer.status_code == 200
    schema = answer.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= LIST_PATHS
    assert "/api/v1/ec2/instances/{account_id}/{region}/{instance_id}/" in schema["paths"]
    # The inventory is read-only; the only writes are requests for actions.
    writes = {(path, method) for path, ops in schema["paths"].items() for method in ops if method != "get"}
    assert writes == {("/api/v1/actions/", "post"), ("/api/v1/actions/{id}/cancel/", "post")}
    # The instances list documents the page's filters.
    params = {p["name"] for p in schema["paths"]["/api/v1/ec2/instances/"]["get"]["parameters"]}
    assert {"state", "region", "tag", "q", "lifecycle", "ordering", "limit", "offset"} <= params


def test_schema_needs_a_role(client, no_role_user):
    assert client.get("/api/v1/schema/").status_code == 401
    assert client.get("/api/v1/docs/").status_code == 401
    client.force_login(no_role_user)
    assert client.get("/api/v1/schema/").status_code == 403


def test_schema_validates_without_warnings(db, tmp_path):
    # --validate checks it against the OpenAPI 3 meta-schema; --fail-on-warn turns every guess into an error.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/ec2/instances/:" in out.read_text()


def test_docs_page_loads_swagger_from_our_own_static_files(viewer_client):
    answer = viewer_client.get("/api/v1/docs/")
    assert answer.status_code == 200
    html = answer.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in s for s in sources)
    assert all(not s.startswith(("http://", "https://", "//")) for s in sources), sources


def test_router_root_is_listed(viewer_client):
    assert api_urls.app_name == "api"
    root = viewer_client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert root.status_code == 200
    assert {"ec2/instances", "accounts", "sync-runs"} <= set(root.json())
