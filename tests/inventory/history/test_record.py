"""The change log through real syncs against the sandbox: added, changed (with the diff), gone, noise, nothing twice."""

import pytest
from django.utils import timezone

from fleetui.core.asof import rows_as_of
from fleetui.ec2.models import Instance
from fleetui.inventory.models import HistoryProtected, ResourceChange
from fleetui.inventory.sync import sync_ids, sync_scope
from tests.inventory.sync.fleet import launch

from .conftest import REGION

pytestmark = pytest.mark.django_db


def sync(account, resource_type="instances"):
    return sync_scope(account=account, region=REGION, resource_type=resource_type)


def records(**match):
    return list(ResourceChange.objects.filter(**match).order_by("id"))


def test_a_sync_records_added_changed_and_gone_and_an_unchanged_resync_nothing(ec2, account):
    ids = launch(ec2, 3, TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "web"}]}])
    ec2.create_key_pair(KeyName="ops")
    run = sync(account)
    sync(account, "key_pairs")
    added = records(resource_type="instances")
    assert sorted(r.resource_id for r in added) == sorted(ids)
    assert {(r.kind, r.account_id, r.region, r.sync_run_id, r.actor, r.action_id) for r in added} == {
        ("added", account.pk, REGION, run.pk, "", None)
    }
    # A first sighting has no old values (`before` is null) and carries the resource's name for the feed.
    row = Instance.objects.get(instance_id=ids[0])
    assert {(r.before, r.name) for r in added} == {(None, "web")}

    before = ResourceChange.objects.count()
    assert sync(account).changed == 0 and ResourceChange.objects.count() == before  # unchanged: no record

    ec2.stop_instances(InstanceIds=[ids[0]])
    ec2.create_tags(Resources=[ids[1]], Tags=[{"Key": "Env", "Value": "prod"}])
    ec2.delete_key_pair(KeyName="ops")
    sync(account)
    sync(account, "key_pairs")
    changed = records(kind="changed")
    assert sorted(r.resource_id for r in changed) == sorted(ids[:2])  # ids[2] did not change
    stop = next(r for r in changed if r.resource_id == ids[0])
    assert stop.diff["state"] == ["running", "stopped"]
    assert "search_text" not in stop.diff  # derived from the fields recorded: noise for instances
    tag = next(r for r in changed if r.resource_id == ids[1])
    assert tag.diff["tags"] == [{"Name": "web"}, {"Name": "web", "Env": "prod"}]
    gone = records(kind="gone")
    assert [(r.resource_type, r.resource_id) for r in gone] == [("key_pairs", "ops")]
    # `before` holds exactly the columns the write changed, with their old values (what as_of rolls back).
    assert gone[0].before == {"gone_at": None}
    assert stop.before["state"] == "running" and stop.before["last_seen"] == row.last_seen.isoformat()
    assert "instance_id" not in stop.before and "tags" not in stop.before
    assert tag.before["tags"] == {"Name": "web"}


def test_noise_fields_are_written_but_not_recorded(ec2, account):
    ids = launch(ec2, 1)
    sync(account)
    # A LaunchTime that moved (instances declare launch_time as noise) makes the sync write the row again...
    Instance.objects.filter(instance_id=ids[0]).update(launch_time=timezone.now())
    before = ResourceChange.objects.count()
    assert sync(account).changed == 1
    # ...but it is no change: no record.
    assert ResourceChange.objects.count() == before


def test_a_targeted_resync_records_too_without_a_sync_run(ec2, account):
    ids = launch(ec2, 2)
    sync(account)
    ec2.stop_instances(InstanceIds=[ids[1]])
    sync_ids(account=account, region=REGION, resource_type="instances", ids=[ids[1]])
    change = ResourceChange.objects.get(kind="changed")
    assert (change.resource_id, change.sync_run_id, change.diff["state"]) == (ids[1], None, ["running", "stopped"])
    # The full sync that follows sees the row already up to date: no second record.
    sync(account)
    assert ResourceChange.objects.filter(kind="changed").count() == 1


def test_rows_from_before_history_need_no_record_and_the_past_still_lists_them(ec2, account, settings):
    settings.FLEETUI_HISTORY = False
    ids = launch(ec2, 2)
    sync(account)
    assert not ResourceChange.objects.exists()
    settings.FLEETUI_HISTORY = True
    then = timezone.now()
    ec2.stop_instances(InstanceIds=[ids[0]])
    sync(account)
    # Only the change is recorded: nothing is written for the rows history found already there.
    assert [(r.resource_id, r.kind) for r in ResourceChange.objects.all()] == [(ids[0], "changed")]
    past = {row.instance_id: row.state for row in rows_as_of(Instance.objects.all(), then)}
    assert past == {ids[0]: "running", ids[1]: "running"}


def test_records_refuse_edits_and_deletes(ec2, account):
    launch(ec2, 1)
    sync(account)
    record = ResourceChange.objects.get()
    record.kind = "gone"
    for attempt in (record.save, record.delete, ResourceChange.objects.all().delete):
        with pytest.raises(HistoryProtected):
            attempt()
    with pytest.raises(HistoryProtected):
        ResourceChange.objects.update(actor="someone")
    assert ResourceChange.objects.get().kind == "added"
