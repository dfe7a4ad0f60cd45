"""Smoke test of the benchmark with tiny sizes, so `python -m bench` cannot rot. It checks the harness
measures what it claims (counts, rows written, the table), not the targets themselves."""

import os

import pytest

from bench.__main__ import parse_args
from bench.actions import actions_measure
from bench.fetch import raw_fetch
from bench.listrows import list_rows_generate
from bench.run import list_measure, sync_measure
from bench.sandbox import instances_seed
from bench.sync import WriteCounter
from bench.table import Row, p95, table_format
from fleetui.actions import services
from fleetui.actions.models import Action
from fleetui.actions.registry import OPERATIONS
from fleetui.ec2.models import Instance
from fleetui.inventory.models import Account, SyncRun
from tests.redis_dbs import ACTIONS_WORKER, redis_url, task_sender

TEST_BROKER = redis_url(ACTIONS_WORKER)  # the actions worker tests' Redis db (tests/redis_dbs.py)


def test_table_has_one_row_per_measure_with_verdicts():
    text = table_format([Row("a", "1.00 s"), Row("b/a", "1.10x", "<= 1.25x", True), Row("c", "3", "0", False)])
    lines = text.splitlines()
    assert lines[0].split("|")[0].strip() == "measure"
    assert [line.split("|")[-1].strip() for line in lines[2:]] == ["", "PASS", "FAIL"]


def test_p95_is_the_nearest_rank_observation():
    assert p95([float(n) for n in range(1, 31)]) == 29.0
    assert p95([5.0]) == 5.0


def test_raw_fetch_reads_every_seeded_instance(aws):
    instances_seed(endpoint=aws, region="us-east-1", count=30)
    seconds, count = raw_fetch(endpoint=aws, region="us-east-1")
    assert count == 30
    assert seconds > 0


@pytest.mark.django_db
def test_list_rows_generator_makes_a_varied_fleet():
    visible = list_rows_generate(count=300, batch=100)
    assert Instance.objects.count() == 300
    assert visible == Instance.objects.filter(gone_at__isnull=True).count()
    assert Account.objects.count() == 2
    assert set(Instance.objects.values_list("region", flat=True)) == {"us-east-1", "eu-west-1", "ap-southeast-2"}
    assert Instance.objects.filter(state="stopped", family="m5").exists()
    assert Instance.objects.filter(lifecycle="spot").exists()
    assert Instance.objects.exclude(tags__has_key="Owner").exists()


@pytest.mark.django_db
def test_write_counter_counts_inventory_rows_but_not_sync_bookkeeping():
    from django.db import connection

    list_rows_generate(count=10, batch=10)
    account = Account.objects.first()
    counter = WriteCounter()
    with connection.execute_wrapper(counter):
        SyncRun.objects.create(account=account, region="us-east-1", resource_type="instances")
        Instance.objects.filter(region="us-east-1").update(name="renamed")
        Instance.objects.filter(region="nowhere").update(name="nobody")
        list(Instance.objects.all())
    updated = Instance.objects.filter(name="renamed").count()
    assert updated > 0
    assert counter.total == updated
    assert counter.rows == {"UPDATE inventory_instance": updated}
    assert "beanstalk_environment" in counter.tables  # every service's tables, whatever their prefix


def test_sync_measures_run_end_to_end_on_a_tiny_fleet(aws, transactional_db):
    rows, raw = sync_measure(endpoint=aws, region="us-east-1", instances=40, repeat=1, catalog=False)
    by_name = {row.measure.split(".")[0]: row for row in rows}
    assert set(by_name) == {"a", "b", "b/a", "c", "e"}
    # The full sync really loaded every seeded instance, and the re-sync wrote nothing.
    assert Instance.objects.filter(region="us-east-1", gone_at__isnull=True).count() == 40
    assert by_name["c"].value == "0 (0/0/0)" and by_name["c"].passed is True
    # The child process synced the 40 instances and reported its own peak RSS.
    child = next(line for line in raw if line.startswith("(e)"))
    assert "added 40" in child
    assert 20 < float(by_name["e"].value.split()[0]) < 1000


def test_list_measures_time_every_page_and_count_queries(transactional_db):
    rows, raw = list_measure(count=300, requests=2)
    visible = Instance.objects.filter(gone_at__isnull=True).count()
    last_page = -(-visible // 25)
    names = [row.measure.split(" at ")[0] for row in rows]
    assert names == [
        "d. list default page",
        "d. list filtered page",
        "d. list sorted page",
        f"d. list deep page ({last_page})",
        "d. list SQL queries per page",
    ]
    assert all(row.passed is not None for row in rows)
    q25, q100 = (int(n) for n in rows[-1].value.split(";")[0].split(" / "))
    assert 3 <= q25 <= 50 and 3 <= q100 <= 50
    assert len([line for line in raw if "median" in line]) == 4
    counts = next(line for line in raw if line.startswith("(d) SQL queries"))
    assert "default page" in counts and "filtered page" in counts and "sorted page" in counts


def test_only_actions_skips_the_other_measures():
    args = parse_args(["--only", "actions", "--actions", "5"])
    assert (args.skip_sync, args.skip_list, args.skip_actions, args.skip_queues, args.actions) == (
        True,
        True,
        False,
        True,
        5,
    )
    assert parse_args([]).skip_actions is False
    only_queues = parse_args(["--only", "queues"])
    assert (only_queues.skip_actions, only_queues.skip_queues) == (True, False)


@pytest.mark.worker
def test_action_measures_run_through_a_real_worker_on_redis(aws, transactional_db, monkeypatch):
    # The test process runs Celery eagerly; the bench's requests must reach the worker through Redis instead.
    sender = task_sender("bench-test-sender", TEST_BROKER)
    monkeypatch.setattr(
        services,
        "action_enqueue",
        lambda action: sender.send_task("actions.run", args=[action.pk], task_id=action.task_id),
    )
    rows, raw = actions_measure(endpoint=aws, region="us-east-1", broker=TEST_BROKER, count=3, updates=2)

    assert [row.measure.split(".")[0] for row in rows] == ["f", "g"]
    started = [float(s) for s in raw[0].split(": ")[1].split(" s;")[0].split(", ")]
    delays = [float(s) for s in raw[1].split(": ")[1].split(" s;")[0].split(", ")]
    assert len(started) == 3 and all(0 < s < 10 for s in started)
    assert len(delays) == 2 and all(0 <= d < 3 for d in delays)  # a 1 s poll shows a write within a poll or two
    reboots = Action.objects.filter(kind="ec2.reboot")
    assert reboots.count() == 5 and set(reboots.values_list("status", flat=True)) == {"succeeded"}  # 2 warm-ups
    assert all(not owner.split("/")[0].endswith(f":{os.getpid()}") for owner in reboots.values_list("owner", flat=True))
    writer = Action.objects.get(kind="bench.progress")
    assert (writer.status, writer.progress) == ("succeeded", 100)
    assert "bench.progress" not in OPERATIONS  # registered for the measure only


def test_overview_measure_times_the_home_page_and_counts_its_queries(db, monkeypatch):
    from bench.services import overview
    from fleetui.ec2.selectors import fleet_overview
    from tests.ec2.test_overview_numbers import OVERVIEW_QUERIES

    for name, value in (
        ("INSTANCES", 300),
        ("REQUESTS", 3),
        ("RESERVATIONS", 20),
        ("CHANGES", 50),
        ("SYNC_PERIODS", 2),
    ):
        monkeypatch.setattr(overview, name, value)

    rows, raw = overview.measure(endpoint="", region="us-east-1", repeat=1)

    assert Instance.objects.count() == 300 and SyncRun.objects.count() == 2 * 3 * 36 * 2
    (row,) = rows
    assert row.measure.startswith("p. overview page at 300 instances") and row.passed is not None
    assert row.value.endswith(f"; {OVERVIEW_QUERIES} queries"), row.value
    # The page read the generated fleet: the rollups were built as a sync would, not left empty.
    assert fleet_overview().total == Instance.objects.filter(gone_at__isnull=True).count() > 250
    assert "300 instances" in raw[0] and "20 reservations" in raw[0] and "50 changes" in raw[0]
