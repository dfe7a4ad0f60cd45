"""`?as_of=`: the lists as they were, rebuilt from the history exactly (snapshots taken across several syncs), on the
page, its CSV and the API; bad moments are a 400 that says which and why; compare two moments."""

import csv
import io
import time
from datetime import timedelta

import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fleetui.core.asof import rows_as_of
from fleetui.core.querysets import CountingPaginator, deferred_join
from fleetui.ec2.models import Instance
from fleetui.ec2.tables import InstanceTable
from fleetui.inventory.models import ResourceChange
from fleetui.inventory.sync import sync_scope
from fleetui.inventory.sync.registry import SYNCS
from tests.inventory.sync.fleet import launch

from .conftest import REGION

pytestmark = pytest.mark.django_db


def synced(rows) -> list[dict]:
    """The rows without Instance.DERIVED_FIELDS: the cost is worked out after each sync, and the history versions
    what the sync read."""
    return [{k: v for k, v in row.items() if k not in Instance.DERIVED_FIELDS} for row in rows]


def snapshot() -> list[dict]:
    return synced(Instance.objects.order_by("instance_id").values())


def moment():
    time.sleep(0.01)  # so the next sync's records come strictly after it
    return timezone.now()


@pytest.fixture
def history(ec2, account, viewer_client):
    """Three syncs with changes in between: [(moment, the instance table then)]."""
    sync = lambda: sync_scope(account=account, region=REGION, resource_type="instances")  # noqa: E731
    tag = lambda name: [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": name}]}]  # noqa: E731
    ids = launch(ec2, 2, TagSpecifications=tag("web")) + launch(ec2, 1, "c5.large", TagSpecifications=tag("db"))
    sync()
    moments = [(moment(), snapshot())]
    ec2.stop_instances(InstanceIds=[ids[0]])
    ec2.create_tags(Resources=[ids[1]], Tags=[{"Key": "Name", "Value": "web-renamed"}])
    ids += launch(ec2, 1, "t3.micro", TagSpecifications=tag("new"))
    sync()
    moments.append((moment(), snapshot()))
    ec2.terminate_instances(InstanceIds=[ids[2]])
    ec2.start_instances(InstanceIds=[ids[0]])
    sync()
    moments.append((moment(), snapshot()))
    return ids, moments


def test_as_of_rebuilds_each_earlier_table_exactly(history):
    _ids, moments = history
    for at, table in moments:
        assert synced(rows_as_of(Instance.objects.order_by("instance_id"), at).values()) == table
    # Before the first sync there was nothing.
    assert not rows_as_of(Instance.objects.all(), moments[0][0] - timedelta(minutes=5)).exists()


def test_the_list_page_its_csv_and_the_api_show_the_past_with_their_filters(history, viewer_client):
    ids, moments = history
    first = moments[0][0].isoformat()
    page = viewer_client.get("/instances/", {"as_of": first})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="as-of"' in html and "Back to now" in html
    assert ids[0] in html and ids[3] not in html  # ids[3] was launched later
    # Filters apply to the values then: ids[0] was running at the first moment, stopped at the second.
    assert ids[0] in viewer_client.get("/instances/", {"as_of": first, "state": "running"}).content.decode()
    second = moments[1][0].isoformat()
    stopped = viewer_client.get("/instances/", {"as_of": second, "state": "stopped"}).content.decode()
    assert ids[0] in stopped and ids[1] not in stopped
    exported = viewer_client.get("/instances/", {"as_of": second, "export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert sorted(r["instance_id"] for r in rows) == sorted(ids)
    assert {r["instance_id"]: r["name"] for r in rows}[ids[1]] == "web-renamed"
    api = viewer_client.get("/api/v1/ec2/instances/", {"as_of": first}).json()
    assert sorted(r["instance_id"] for r in api["results"]) == sorted(ids[:3])
    assert {r["instance_id"]: r["name"] for r in api["results"]}[ids[1]] == "web"
    # Now, without as_of: the present.
    assert ids[3] in viewer_client.get("/instances/").content.decode()


def test_the_as_of_list_is_one_query_of_the_history_and_pages(history, viewer_client):
    _ids, moments = history
    with CaptureQueriesContext(connection) as queries:
        viewer_client.get("/instances/", {"as_of": moments[1][0].isoformat(), "per_page": 25})
    history_reads = [q["sql"] for q in queries if "history_merge" in q["sql"]]
    assert len(history_reads) == 2  # the page's ids with the count, then its rows (and nothing per row)


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("yesterday-ish", "is not a time"),
        ("2999-01-01T00:00:00Z", "is in the future"),
        ("2001-01-01", "before what the history keeps"),
    ],
)
def test_a_bad_as_of_is_a_400_saying_which_and_why(viewer_client, value, says, db):
    page = viewer_client.get("/instances/", {"as_of": value})
    assert page.status_code == 400 and says in page.content.decode() and 'id="as-of-error"' in page.content.decode()
    api = viewer_client.get("/api/v1/ec2/instances/", {"as_of": value})
    assert api.status_code == 400 and says in api.json()["as_of"][0]
    csv_export = viewer_client.get("/instances/", {"as_of": value, "export": "csv"})
    assert csv_export.status_code == 400


def test_compare_counts_both_moments_and_lists_what_changed(history, viewer_client):
    ids, moments = history
    page = viewer_client.get("/changes/compare/", {"from": moments[0][0].isoformat(), "to": moments[2][0].isoformat()})
    html = page.content.decode()
    assert page.status_code == 200
    # 3 live instances then, 4 at the end (one launched; the terminated one is still listed as terminated).
    assert "3 → 4 live (+1)" in html
    section = html[html.index('data-field="state"') :]
    assert "<td>terminated</td><td>0</td><td>1</td>" in section.replace("\n", "").replace(' class="delta up"', "")
    assert ids[3] in html[html.index('id="compare-added"') :]


def test_compare_refuses_from_after_to(viewer_client, db):
    now = timezone.now()
    page = viewer_client.get(
        "/changes/compare/", {"from": now.isoformat(), "to": (now - timedelta(hours=1)).isoformat()}
    )
    assert page.status_code == 400 and "is after to" in page.content.decode()
    assert viewer_client.get("/changes/compare/", {"from": "soon", "to": "later"}).status_code == 400


def test_each_column_takes_the_oldest_value_recorded_after_the_moment(account):
    """Several records after T: for each column the oldest one's old value wins; first sightings after T did not
    exist then; a row marked gone after T was live then."""
    now = timezone.now()
    old = now - timedelta(days=2)
    row = lambda instance_id, **values: Instance.objects.create(  # noqa: E731
        account=account, region=REGION, instance_id=instance_id, first_seen=old, last_seen=now, **values
    )
    renamed, launched, gone = row("i-1", state="stopped", tags={"Name": "b"}), row("i-2"), row("i-3", gone_at=now)
    record = lambda instance, kind, before, minutes: ResourceChange(  # noqa: E731
        at=now - timedelta(minutes=minutes), resource_type="instances", account=account, region=REGION,
        resource_id=instance.instance_id, row_id=instance.pk, kind=kind, before=before,
    )  # fmt: skip
    ResourceChange.objects.bulk_create(
        [
            record(renamed, "changed", {"state": "running", "tags": {"Name": "a"}}, 60),
            record(renamed, "changed", {"state": "pending"}, 30),
            record(launched, "added", None, 10),
            record(gone, "gone", {"gone_at": None}, 5),
        ]
    )
    then = rows_as_of(Instance.objects.order_by("instance_id"), now - timedelta(hours=2))
    assert [(r.instance_id, r.state, r.tags, r.gone_at) for r in then] == [
        ("i-1", "running", {"Name": "a"}, None),
        ("i-3", "", {}, None),
    ]
    between = rows_as_of(Instance.objects.filter(state="pending"), now - timedelta(minutes=45))
    assert list(between.values_list("instance_id", flat=True)) == ["i-1"]


@pytest.fixture
def changed_fleet(account):
    """30 instances, first seen a day ago but every fifth only since `then`; every third renamed and stopped since
    `then` (it was stopped then). Returns `then` and the rows then, [(instance_id, name, state)] by instance id."""
    now = timezone.now()
    then = now - timedelta(hours=1)
    rows = Instance.objects.bulk_create(
        Instance(
            account=account,
            region=REGION,
            instance_id=f"i-{n:03}",
            name=f"now-{n}",
            state="running",
            first_seen=now - timedelta(days=1),
            last_seen=now,
        )
        for n in range(30)
    )
    record = lambda row, minutes_ago, before: ResourceChange(  # noqa: E731
        at=now - timedelta(minutes=minutes_ago), resource_type="instances", account=account, region=REGION,
        resource_id=row.instance_id, row_id=row.pk, kind="changed" if before else "added", before=before,
    )  # fmt: skip
    ResourceChange.objects.bulk_create(
        [record(row, 10 if n % 5 == 0 else 1440, None) for n, row in enumerate(rows)]
        + [record(row, 20, {"name": f"then-{n}", "state": "stopped"}) for n, row in enumerate(rows) if n % 3 == 0]
    )
    past = [
        (row.instance_id, *((f"then-{n}", "stopped") if n % 3 == 0 else (f"now-{n}", "running")))
        for n, row in enumerate(rows)
        if n % 5
    ]
    return then, past


def test_a_page_of_the_past_reads_its_rows_by_id_and_counts_in_the_same_query(changed_fleet):
    """The deferred join on a list as of a moment: its slices are the plain slices, its rows read from the history of
    those rows only; `counted_slice` counts in the query of the page's ids."""
    then, past = changed_fleet
    plain = rows_as_of(Instance.objects.order_by("instance_id"), then)
    assert [(r.instance_id, r.name, r.state) for r in plain] == past
    deferred = deferred_join(plain)
    for window in (slice(0, 7), slice(7, 20), slice(20, 40)):
        assert [(r.instance_id, r.name, r.state) for r in deferred[window]] == past[window]
    some = [row.pk for row in plain[3:9]]
    assert [r.pk for r in rows_as_of(Instance.objects.order_by("instance_id"), then, pks=some)] == some
    with CaptureQueriesContext(connection) as queries:
        rows, total = deferred.counted_slice(20, 40)
    assert total == len(past) == 24 and [r.instance_id for r in rows] == [p[0] for p in past[20:]]
    assert len(queries) == 2 and "OVER ()" in queries[0]["sql"]
    assert deferred.counted_slice(24, 30) == ([], None)  # past the end: the count is unknown


def test_the_past_page_counts_and_pages_like_the_present(changed_fleet, viewer_client):
    then, past = changed_fleet
    moment = then.isoformat()
    with CaptureQueriesContext(connection) as queries:
        page = viewer_client.get("/instances/", {"as_of": moment, "per_page": 25, "page": 1}).content.decode()
    assert not [q for q in queries if "COUNT(*) AS" in q["sql"]]  # no count query: the page's ids query counts
    assert "24 of 24" in page and all(instance_id in page for instance_id, _, _ in past)
    assert "i-000" not in page  # first seen after the moment
    beyond = viewer_client.get("/instances/", {"as_of": moment, "per_page": 25, "page": 9}).content.decode()
    assert "24 of 24" in beyond  # past the end: the last page
    stopped = viewer_client.get("/instances/", {"as_of": moment, "state": "stopped", "per_page": 25}).content.decode()
    assert "8 of 8" in stopped and "then-3" in stopped and "now-3" not in stopped


@pytest.mark.parametrize("distinct", [False, True])
def test_the_counting_paginator_pages_as_djangos_does(changed_fleet, distinct):
    """Page 2 of 10 a page, and past the end; a DISTINCT query is counted by Django's Paginator (a window would count
    the rows before DISTINCT)."""
    then, past = changed_fleet
    rows = rows_as_of(Instance.objects.order_by("instance_id"), then)
    table = InstanceTable(deferred_join(rows.distinct() if distinct else rows))
    with CaptureQueriesContext(connection) as queries:
        table.paginate(paginator_class=CountingPaginator, per_page=10, page=2)
    assert table.paginator.count == 24 and table.paginator.num_pages == 3
    assert [row.record.instance_id for row in table.page.object_list] == [p[0] for p in past[10:20]]
    assert any("OVER ()" in q["sql"] for q in queries) != distinct  # the window count, unless DISTINCT
    with pytest.raises(EmptyPage):
        table.paginate(paginator_class=CountingPaginator, per_page=10, page=4)


def test_every_kept_type_reads_a_page_of_its_past_rows_by_id(db):
    """The page's rows by id (`pks`) select by each type's own key and scope: valid SQL for every type kept."""
    moment = timezone.now() - timedelta(hours=1)
    for spec in SYNCS.values():
        assert list(rows_as_of(spec.model.objects.all(), moment, pks=[1, 2])) == []
        assert list(rows_as_of(spec.model.objects.all(), moment, pks=[])) == []
