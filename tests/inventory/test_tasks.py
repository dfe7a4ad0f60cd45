"""The inventory Celery tasks, run eagerly (the `worker` tests run them in a real worker on Redis)."""

import pytest

from fleetui.celery import app
from fleetui.ec2.models import Instance
from fleetui.inventory.models import Account, SyncRun
from fleetui.inventory.sync import RESOURCE_TYPES
from fleetui.inventory.tasks import sync_all_task, sync_scope_task

from .sync.fleet import DEFAULT_ID, launch

pytestmark = pytest.mark.django_db


def test_sync_scope_task_syncs_one_scope(ec2):
    account = Account.objects.create(account_id=DEFAULT_ID, name="default")
    launch(ec2, 2)
    result = sync_scope_task.delay(account.pk, "us-east-1", "instances")
    assert result.get() == "succeeded"
    assert Instance.objects.filter(account=account).count() == 2


def test_a_disabled_or_deleted_account_is_not_synced(aws):
    account = Account.objects.create(account_id=DEFAULT_ID, name="default", enabled=False)
    assert sync_scope_task.delay(account.pk, "us-east-1", "instances").get() == "skipped"
    assert sync_scope_task.delay(999_999, "us-east-1", "instances").get() == "skipped"
    assert not SyncRun.objects.exists()


def test_sync_scope_task_reports_a_held_scope_as_skipped(aws):
    account = Account.objects.create(account_id=DEFAULT_ID, name="default")
    SyncRun.objects.create(account=account, region="us-east-1", resource_type="instances")
    assert sync_scope_task.delay(account.pk, "us-east-1", "instances").get() == "skipped"


def test_sync_all_creates_the_default_account_and_queues_every_scope(ec2, settings):
    settings.FLEETUI_REGIONS = ["us-east-1"]
    launch(ec2, 1)
    assert sync_all_task.delay().get() == len(RESOURCE_TYPES)
    account = Account.objects.get()
    assert account.account_id == DEFAULT_ID and account.is_ambient
    runs = SyncRun.objects.filter(account=account, region="us-east-1")
    assert sorted(runs.values_list("resource_type", flat=True)) == sorted(RESOURCE_TYPES)
    assert set(runs.values_list("status", flat=True)) == {"succeeded"}
    assert Instance.objects.count() == 1


def test_the_beat_schedule_runs_sync_all_every_interval(settings):
    app.loader.import_default_modules()
    entry = next(e for e in app.conf.beat_schedule.values() if e["task"] == "inventory.sync_all")
    assert entry["schedule"] == settings.FLEETUI_SYNC_INTERVAL
