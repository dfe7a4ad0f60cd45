"""Selectors: freshness of the inventory, overview counts, and the filter contract the API reuses."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from fleetui.ec2 import selectors as ec2_selectors
from fleetui.inventory import selectors
from tests.factories import AccountFactory, InstanceFactory, SyncRunFactory, rollups_store

NOW = timezone.now()


def ago(**kwargs) -> dt.datetime:
    return NOW - dt.timedelta(**kwargs)


@pytest.fixture
def prod(db):
    return AccountFactory(account_id="111111111111", name="prod")


def test_no_runs_means_never_synced(db):
    freshness = selectors.sync_freshness(now=NOW)
    assert freshness.as_of is None and freshness.warning and freshness.scopes == 0


@override_settings(FLEETUI_STALE_AFTER=900)
def test_fresh_when_every_scope_succeeded_recently(prod):
    SyncRunFactory(account=prod, resource_type="instances", finished_at=ago(minutes=2))
    SyncRunFactory(account=prod, resource_type="volumes", finished_at=ago(minutes=5))
    freshness = selectors.sync_freshness(now=NOW)
    assert freshness.as_of == ago(minutes=5)  # the oldest scope sets the fleet's "as of"
    assert freshness.newest == ago(minutes=2)
    assert not freshness.stale and not freshness.warning and freshness.scopes == 2


@override_settings(FLEETUI_STALE_AFTER=900)
def test_stale_when_a_scope_is_older_than_the_limit(prod):
    SyncRunFactory(account=prod, resource_type="instances", finished_at=ago(minutes=2))
    SyncRunFactory(account=prod, resource_type="volumes", finished_at=ago(minutes=16))
    freshness = selectors.sync_freshness(now=NOW)
    assert freshness.stale and freshness.warning and freshness.failed_scopes == 0


@override_settings(FLEETUI_STALE_AFTER=900)
def test_failed_when_the_latest_finished_run_of_a_scope_failed(prod):
    SyncRunFactory(account=prod, finished_at=ago(minutes=10))
    SyncRunFactory(account=prod, status="failed", finished_at=ago(minutes=1), error="AccessDenied")
    SyncRunFactory(account=prod, status="running", finished_at=None)  # running runs do not count yet
    freshness = selectors.sync_freshness(now=NOW)
    assert freshness.failed_scopes == 1 and freshness.warning and not freshness.stale
    assert freshness.as_of == ago(minutes=10)  # the data shown is from the last success


@override_settings(FLEETUI_STALE_AFTER=900)
def test_a_later_success_clears_the_failure_and_disabled_accounts_are_ignored(prod):
    SyncRunFactory(account=prod, status="failed", finished_at=ago(minutes=3))
    SyncRunFactory(account=prod, finished_at=ago(minutes=1))
    SyncRunFactory(account=AccountFactory(account_id="222222222222", enabled=False), status="failed")
    freshness = selectors.sync_freshness(now=NOW)
    assert freshness.failed_scopes == 0 and not freshness.warning and freshness.scopes == 1


@override_settings(FLEETUI_STALE_AFTER=900, FLEETUI_REGIONS=["us-east-1"])
def test_configured_regions_ignore_removed_regions_and_region_discovery(prod):
    SyncRunFactory(account=prod, region="us-east-1", finished_at=ago(minutes=1))
    SyncRunFactory(account=prod, region="eu-west-1", status="failed", finished_at=ago(days=3))  # removed region
    SyncRunFactory(account=prod, region="*", resource_type="regions", status="failed", finished_at=ago(minutes=1))
    freshness = selectors.sync_freshness(now=NOW)
    assert (freshness.scopes, freshness.failed_scopes, freshness.stale) == (1, 0, False)
    assert [(run.region, run.status) for run in selectors.sync_status_matrix(now=NOW)[prod.pk]] == [
        ("us-east-1", "succeeded")
    ]


@override_settings(FLEETUI_STALE_AFTER=3600, FLEETUI_REGIONS=[])
def test_discovered_regions_are_shown_stale_for_a_day_then_forgotten(prod):
    SyncRunFactory(account=prod, region="us-east-1", finished_at=ago(minutes=1))
    SyncRunFactory(account=prod, region="*", resource_type="regions", finished_at=ago(minutes=1))
    gone = SyncRunFactory(account=prod, region="ap-south-1", status="failed", finished_at=ago(hours=23))
    freshness = selectors.sync_freshness(now=NOW)
    assert (freshness.scopes, freshness.failed_scopes, freshness.stale) == (3, 1, True)  # 24 x 1 h: still shown
    assert "ap-south-1" in {run.region for run in selectors.sync_status_matrix(now=NOW)[prod.pk]}
    later = NOW + dt.timedelta(hours=2)  # 25 h after ap-south-1's last run; the others ran just now
    SyncRunFactory(account=prod, region="us-east-1", finished_at=later)
    SyncRunFactory(account=prod, region="*", resource_type="regions", finished_at=later)
    freshness = selectors.sync_freshness(now=later)
    assert (freshness.scopes, freshness.failed_scopes, freshness.stale) == (2, 0, False)
    assert gone.region not in {run.region for run in selectors.sync_status_matrix(now=later)[prod.pk]}


@override_settings(FLEETUI_STALE_AFTER=60, FLEETUI_REGIONS=[])
def test_the_retention_is_at_least_a_day(prod):
    SyncRunFactory(account=prod, region="us-east-1", finished_at=ago(hours=20))  # 24 x 60 s is only 24 min
    assert selectors.sync_freshness(now=NOW).stale


@override_settings(FLEETUI_STALE_AFTER=900)
def test_a_deleted_account_leaves_nothing_behind(prod):
    SyncRunFactory(account=prod, status="failed")
    assert selectors.sync_freshness(now=NOW).failed_scopes == 1
    prod.delete()
    freshness = selectors.sync_freshness(now=NOW)
    assert freshness.scopes == 0 and freshness.failed_scopes == 0 and selectors.sync_status_matrix(now=NOW) == {}


def test_sync_freshness_is_one_query(prod, django_assert_num_queries):
    for region in ("us-east-1", "eu-west-1"):
        for kind in ("instances", "volumes", "images"):
            SyncRunFactory(account=prod, region=region, resource_type=kind)
    with django_assert_num_queries(1):
        assert selectors.sync_freshness().scopes == 6


@override_settings(FLEETUI_STALE_AFTER=900)
@pytest.mark.parametrize(
    ("runs", "state", "text"),
    [
        ([{"minutes_ago": 2}], "fresh", "2 min ago"),
        ([{"minutes_ago": 180}], "stale", "stale"),
        ([{"minutes_ago": 9}, {"minutes_ago": 0, "status": "failed", "error": "x"}], "failed", "1 scope failed"),
        ([], "never", "Never synced"),
    ],
)
def test_the_freshness_bar_on_every_page(viewer_client, prod, runs, state, text):
    for run in runs:
        minutes = run.pop("minutes_ago")  # relative to now, not to when this module was imported
        SyncRunFactory(account=prod, finished_at=timezone.now() - dt.timedelta(minutes=minutes), **run)
    for name in ("inventory:overview", "ec2:instance_list", "inventory:account_list", "inventory:sync_run_list"):
        html = viewer_client.get(reverse(name)).content.decode()
        assert f'data-state="{state}"' in html, name
        assert text in html
    if state == "failed":
        assert f'href="{reverse("inventory:sync_run_list")}?status=failed"' in html
    if state in ("stale", "failed", "never"):
        assert "freshness is-warning" in html
    else:
        assert "freshness is-ok" in html


def test_the_absolute_time_is_on_hover(viewer_client, prod):
    finished = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=2)
    SyncRunFactory(account=prod, finished_at=finished)
    html = viewer_client.get(reverse("inventory:overview")).content.decode()
    assert f'title="{finished.strftime("%Y-%m-%d %H:%M:%S")} UTC"' in html


def test_instance_list_returns_the_filterset_and_an_empty_queryset_when_invalid(prod):
    InstanceFactory(account=prod, lifecycle="spot")
    InstanceFactory(account=prod)
    filterset, queryset = ec2_selectors.instance_list(filters={"lifecycle": "spot"})
    assert filterset.is_valid() and queryset.count() == 1
    filterset, queryset = ec2_selectors.instance_list(filters={"lifecycle": "sometimes"})
    assert not filterset.is_valid() and "lifecycle" in filterset.errors and queryset.count() == 0


def test_fleet_overview_counts_only_live_instances(prod):
    InstanceFactory(account=prod, family="m5")
    InstanceFactory(account=prod, gone_at=NOW)
    rollups_store()
    overview = ec2_selectors.fleet_overview()
    assert overview.total == 1
    assert [(b.value, b.count, b.percent) for b in overview.breakdowns["Family"]] == [("m5", 1, 100.0)]


def test_instance_console_url():
    assert ec2_selectors.instance_console_url(region="eu-west-1", instance_id="i-1") == (
        "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId=i-1"
    )


def test_category_labels_read_as_words_whatever_the_separator(prod):
    InstanceFactory(account=prod, category="memory-optimized")
    InstanceFactory(account=prod, category="compute_optimized")
    rollups_store()
    labels = {b.value: b.label for b in ec2_selectors.fleet_overview().breakdowns["Category"]}
    assert labels == {"memory-optimized": "memory optimized", "compute_optimized": "compute optimized"}


def test_scope_walk_matches_a_brute_force_reading_of_the_history(prod):
    from fleetui.inventory.models import SyncRun
    from fleetui.inventory.scope_status import scope_runs_list

    dev = AccountFactory(account_id="222222222222", name="dev")
    for n, (account, region, kind, status) in enumerate(
        (a, r, k, s)
        for a in (prod, dev)
        for r in ("eu-west-1", "us-east-1")
        for k in ("images", "instances")
        for s in ("succeeded", "failed", "succeeded", "failed" if k == "images" else "succeeded", "running")
    ):
        started = ago(minutes=100 - n)
        finished = None if status == "running" else started + dt.timedelta(seconds=30)
        SyncRunFactory(
            account=account, region=region, resource_type=kind, status=status, started_at=started, finished_at=finished
        )
    walked = {(s.account_id, s.region, s.resource_type): s for s in scope_runs_list(enabled_only=False)}
    assert len(walked) == 8
    for (account, region, kind), scope in walked.items():
        runs = SyncRun.objects.filter(account_id=account, region=region, resource_type=kind).order_by("-started_at")
        finished = [r for r in runs if r.finished_at]
        assert scope.latest_run_id == runs[0].pk and runs[0].status == "running"
        assert scope.last_finished == finished[0].finished_at
        assert scope.last_success == next(r.finished_at for r in finished if r.status == "succeeded")
        assert scope.failed == (kind == "images")
    assert selectors.sync_freshness(now=NOW).failed_scopes == 4


@override_settings(FLEETUI_STALE_AFTER=900)
def test_a_daily_type_is_queued_once_a_day_and_stale_only_after_its_day(prod):
    from fleetui.inventory.services import sync_scope_due

    SyncRunFactory(account=prod, resource_type="instances", finished_at=ago(minutes=2))
    SyncRunFactory(account=prod, resource_type="list_prices", finished_at=ago(hours=20))  # ResourceSync.every: a day
    freshness = selectors.sync_freshness(now=NOW)
    assert not freshness.stale and freshness.as_of == ago(minutes=2)  # "as of" is the inventory's, not the prices'
    assert not sync_scope_due(account=prod, region="us-east-1", resource_type="list_prices")
    assert sync_scope_due(account=prod, region="us-east-1", resource_type="instances")
    SyncRunFactory(account=prod, resource_type="list_prices", status="failed", finished_at=ago(minutes=1))
    assert not sync_scope_due(account=prod, region="us-east-1", resource_type="list_prices")  # the success counts
    assert selectors.sync_freshness(now=NOW).failed_scopes == 1


@override_settings(FLEETUI_STALE_AFTER=900)
def test_a_daily_type_is_stale_a_day_and_the_limit_after_its_last_success(prod):
    from fleetui.inventory.services import sync_scope_due

    SyncRunFactory(account=prod, resource_type="instances", finished_at=ago(minutes=2))
    SyncRunFactory(account=prod, resource_type="list_prices", finished_at=ago(hours=24, minutes=16))
    assert selectors.sync_freshness(now=NOW).stale
    assert sync_scope_due(account=prod, region="us-east-1", resource_type="list_prices")
