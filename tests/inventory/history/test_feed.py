"""The change feed (page, filters, CSV, chart), its API and schema, the overview line, and retention."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from fleetui.inventory.history.prune import history_prune
from fleetui.inventory.models import ChangeCount, ResourceChange
from fleetui.inventory.tasks import history_prune_task

pytestmark = pytest.mark.django_db


def change(account, resource_id, kind="changed", *, at=None, actor="", diff=None, **extra):
    return ResourceChange(
        at=at or timezone.now(),
        resource_type=extra.pop("resource_type", "instances"),
        account=account,
        region=extra.pop("region", "us-east-1"),
        resource_id=resource_id,
        kind=kind,
        diff=diff or ({"state": ["running", "stopped"]} if kind == "changed" else {}),
        name=f"name-{resource_id}",
        before=None if kind == "added" else {"state": "running"},
        actor=actor,
        action_id=7 if actor else None,
        **extra,
    )


@pytest.fixture
def changes(account):
    now = timezone.now()
    return ResourceChange.objects.bulk_create(
        [
            change(account, "i-aaa", "added", at=now - timedelta(days=2)),
            change(account, "i-aaa", at=now - timedelta(hours=3), actor="otto"),
            change(account, "i-bbb", at=now - timedelta(hours=2)),
            change(account, "i-ccc", "gone", at=now - timedelta(hours=1), region="eu-west-1"),
            change(account, "sg-1", at=now, diff={"rules": [[], [1]]}, resource_type="security_groups"),
        ]
    )


def listed(response) -> list[str]:
    html = response.content.decode()
    return [chunk.split("</code>")[0] for chunk in html.split("<code>")[1:] if chunk.startswith(("i-", "sg-"))]


def test_the_feed_lists_changes_newest_first_with_filters(viewer_client, changes):
    everything = viewer_client.get("/changes/")
    assert everything.status_code == 200
    assert listed(everything) == ["sg-1", "i-ccc", "i-bbb", "i-aaa", "i-aaa"]
    assert "name-i-aaa" in everything.content.decode()  # names first
    assert listed(viewer_client.get("/changes/", {"actor": "outside"})) == ["sg-1", "i-ccc", "i-bbb", "i-aaa"]
    assert listed(viewer_client.get("/changes/", {"actor": "otto"})) == ["i-aaa"]
    assert listed(viewer_client.get("/changes/", {"kind": "gone"})) == ["i-ccc"]
    assert listed(viewer_client.get("/changes/", {"field": "rules"})) == ["sg-1"]
    assert listed(viewer_client.get("/changes/", {"resource_type": "instances", "region": "us-east-1"})) == [
        "i-bbb",
        "i-aaa",
        "i-aaa",
    ]
    since = (timezone.now() - timedelta(hours=2, minutes=30)).isoformat()
    assert listed(viewer_client.get("/changes/", {"since": since, "q": "i-"})) == ["i-ccc", "i-bbb"]
    assert listed(viewer_client.get("/changes/", {"until": since})) == ["i-aaa", "i-aaa"]


def test_bad_filters_are_a_400_naming_the_field(viewer_client, changes):
    for params, says in [({"kind": "renamed"}, "Not a valid choice: renamed"), ({"since": "when"}, "is not a time")]:
        page = viewer_client.get("/changes/", params)
        assert page.status_code == 400 and says in page.content.decode()
        api = viewer_client.get("/api/v1/changes/", params)
        assert api.status_code == 400 and says in str(api.json())


def test_the_chart_counts_each_day_by_kind(viewer_client, changes):
    html = viewer_client.get("/changes/").content.decode()
    chart = html[html.index('id="changes-chart"') : html.index("</figure>")]
    today = timezone.now().strftime("%Y-%m-%d")
    # Today: i-bbb, sg-1 changed (and i-aaa by otto, unless the day turned), i-ccc gone; all server-drawn SVG.
    assert f"{today}: 1 gone" in chart and "<script" not in html.split("</head>")[1].split("</footer>")[0]
    assert chart.count("<rect") >= 3
    # Those counts come from ChangeCount (kept by triggers); a filter it cannot answer counts the records: the same.
    everything = viewer_client.get("/changes/", {"q": "-"}).content.decode()
    assert everything[everything.index('id="changes-chart"') : everything.index("</figure>")] == chart
    assert sum(ChangeCount.objects.values_list("count", flat=True)) == ResourceChange.objects.count()


def test_the_csv_holds_every_matching_change(viewer_client, changes):
    response = viewer_client.get("/changes/", {"export": "csv", "actor": "outside"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["resource_id"] for r in rows] == ["sg-1", "i-ccc", "i-bbb", "i-aaa"]
    assert rows[2]["changes"] == "state: running -> stopped" and rows[2]["actor"] == "outside fleetui"


def test_the_api_lists_changes_with_the_same_filters_and_both_are_in_the_schema(viewer_client, changes):
    body = viewer_client.get("/api/v1/changes/", {"actor": "otto"}).json()
    assert [(r["resource_id"], r["actor"], r["action_id"], r["diff"]) for r in body["results"]] == [
        ("i-aaa", "otto", 7, {"state": ["running", "stopped"]})
    ]
    schema = viewer_client.get("/api/v1/schema/", {"format": "json"}).json()
    assert "/api/v1/changes/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/changes/"]["get"]["parameters"]}
    assert {"resource_type", "account", "region", "kind", "field", "actor", "since", "until", "q"} <= params
    instance_params = {p["name"] for p in schema["paths"]["/api/v1/ec2/instances/"]["get"]["parameters"]}
    assert "as_of" in instance_params


def test_the_overview_says_how_many_changes_and_how_many_outside_fleetui(viewer_client, changes):
    html = viewer_client.get("/").content.decode()
    line = html[html.index('id="changes-overview"') :].split("</p>")[0]
    # In the last 24 h: i-aaa (otto), i-bbb, i-ccc, sg-1; three of them outside fleetui.
    assert "<strong>4</strong> changes in the last 24 h" in line and "<strong>3</strong> of them outside" in line
    assert "actor=outside" in line


def test_retention_prunes_only_records_older_than_the_limit(account, settings):
    settings.FLEETUI_HISTORY_DAYS = 30
    now = timezone.now()
    old, recent = now - timedelta(days=40), now - timedelta(days=10)
    # as_of never goes back past the limit, and rolls back only with records written after its moment.
    ResourceChange.objects.bulk_create(
        [
            change(account, "i-1", "added", at=old),
            change(account, "i-2", "added", at=old - timedelta(days=5)),
            change(account, "i-2", at=now - timedelta(days=30, minutes=1)),
            change(account, "i-2", at=recent),
            change(account, "i-3", "added", at=now - timedelta(days=29)),
        ]
    )
    assert history_prune(chunk=1) == 3  # in chunks of one
    assert sum(ChangeCount.objects.values_list("count", flat=True)) == 2  # the daily counts follow
    assert sorted(ResourceChange.objects.values_list("resource_id", "at")) == sorted(
        [("i-2", recent), ("i-3", now - timedelta(days=29))]
    )
    assert history_prune_task() == 0
