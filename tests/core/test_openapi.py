"""The OpenAPI schema documents each operation's error answers and each filter's format (fleetui.core.openapi), and the
API answers as documented where Schemathesis (tests/test_schemathesis.py) would not look: a filter message that quotes
a `%`, and a path that matches no route."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fleetui.actions.registry import OPERATIONS
from tests.openapi_schema import openapi_schema


@pytest.fixture(scope="module")
def schema() -> dict:
    return openapi_schema()


def body(response: dict) -> str:
    return response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def parameter(path: str, name: str) -> dict:
    [found] = [p for p in openapi_schema()["paths"][path]["get"]["parameters"] if p["name"] == name]
    return found


def test_every_operation_documents_its_error_answers_by_the_rule(schema):
    operations = [(path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()]
    assert len(operations) > 90
    for path, method, op in operations:
        responses = op["responses"]
        assert body(responses["401"]) == "Error" and "WWW-Authenticate" in responses["401"]["headers"], path
        assert body(responses["403"]) == "Error", path
        assert ("404" in responses) == ("{" in path), (path, method)
        takes_input = (method == "post" and "requestBody" in op) or any(
            p["in"] == "query" and p["name"] not in ("limit", "offset", "ordering") for p in op.get("parameters", [])
        )
        assert ("400" in responses) == takes_input, (path, method)
        if takes_input:
            assert body(responses["400"]) == "ValidationError"
    conflicts = {(path, method) for path, method, op in operations if "409" in op["responses"]}
    assert conflicts == {("/api/v1/actions/", "post"), ("/api/v1/actions/{id}/cancel/", "post")}
    assert "busy" in schema["paths"]["/api/v1/actions/"]["post"]["responses"]["409"]["description"]
    assert body(schema["paths"]["/api/v1/actions/"]["post"]["responses"]["409"]) == "Conflict"


def test_the_error_bodies_are_components(schema):
    schemas = schema["components"]["schemas"]
    assert schemas["Error"]["required"] == ["detail"]
    assert schemas["Conflict"]["required"] == ["detail"]
    assert schemas["ValidationError"]["additionalProperties"]["oneOf"][0] == {
        "type": "array",
        "items": {"type": "string"},
    }


def test_each_filter_says_how_to_write_its_value(schema):
    instances = "/api/v1/ec2/instances/"
    tag = parameter(instances, "tag")
    assert "`Key=Value`" in tag["description"] and tag["schema"]["pattern"] == r"^[^=]*[^=\s][^=]*="
    state = parameter(instances, "state")  # a comma list
    assert (state["schema"]["type"], state["style"], state["explode"]) == ("array", "form", False)
    assert "separated by commas" in state["description"]
    assert parameter(instances, "lifecycle")["schema"]["enum"] == ["on-demand", "spot", "scheduled"]
    assert parameter(instances, "has_public_ip")["schema"] == {"type": "boolean"}
    ordering = parameter(instances, "ordering")
    assert {"launch_time", "-launch_time"} <= set(ordering["schema"]["items"]["enum"]) and not ordering["explode"]
    limit = parameter(instances, "limit")
    assert limit["schema"]["minimum"] == 1 and "at most 1000" in limit["description"]
    as_of = parameter(instances, "as_of")
    assert as_of["schema"]["format"] == "date-time" and "ISO 8601" in as_of["description"]
    vcpus = parameter("/api/v1/ec2/instance-types/", "min_vcpus")
    assert vcpus["schema"]["type"] == "integer" and "At least" in vcpus["description"]

    actions = "/api/v1/actions/"
    kind = parameter(actions, "kind")  # choices from the operation registry: fixed once Django has started
    assert kind["schema"]["items"]["enum"] == sorted(OPERATIONS) and kind["explode"] is True
    since = parameter(actions, "since")
    assert since["schema"]["format"] == "date-time" and "2026-11-27T14:00:00Z" in since["description"]
    severity = parameter("/api/v1/ec2/security-groups/", "severity")  # a comma list of fixed values
    assert severity["schema"]["items"]["enum"] and "Valid: " in severity["description"]


@pytest.mark.django_db
def test_a_refused_filter_value_holding_a_percent_sign_is_a_400_not_a_500(viewer_client):
    """django-filter formatted the message with `%` once more: the value quoted in it made that a TypeError."""
    answer = viewer_client.get("/api/v1/ec2/instances/", {"gone": "100%"})
    assert answer.status_code == 400 and answer.json() == {"gone": ["Use true or false, not '100%'."]}
    answer = viewer_client.get("/api/v1/ec2/security-groups/", {"severity": "100%s"})
    assert answer.status_code == 400 and answer.json()["severity"][0].startswith("Not a valid choice: 100%s. Valid: ")


@pytest.mark.django_db
def test_a_path_that_matches_no_api_route_answers_json(viewer_client):
    answer = viewer_client.get("/api/v1/ec2/instances/not-a-number/")
    assert answer.status_code == 404 and answer["Content-Type"] == "application/json"
    assert answer.json() == {"detail": "There is no API path /api/v1/ec2/instances/not-a-number/."}
    assert viewer_client.get("/no-such-page/").templates[0].name == "404.html"  # the site's own page elsewhere


@pytest.mark.django_db
def test_a_time_with_an_offset_postgresql_cannot_store_is_compared_in_utc(viewer_client):
    """ISO 8601 allows offsets up to 23:59 and PostgreSQL up to 15:59: `+18:46` was a 500 (Schemathesis found it)."""
    yesterday = (timezone.now() - timedelta(days=1)).astimezone(timezone.get_fixed_timezone(18 * 60 + 46))
    assert viewer_client.get("/api/v1/actions/", {"since": yesterday.isoformat()}).status_code == 200
    assert viewer_client.get("/api/v1/ec2/instances/", {"as_of": yesterday.isoformat()}).status_code == 200
    assert viewer_client.get("/api/v1/changes/", {"until": yesterday.isoformat()}).status_code == 200
    answer = viewer_client.get("/api/v1/actions/", {"since": "0001-01-01T00:00:00+05:00"})
    assert answer.status_code == 400 and answer.json() == {"since": ["This time is out of range once in UTC."]}
