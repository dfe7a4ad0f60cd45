"""Smoke test of the benchmark with tiny sizes, so `python -m bench` cannot rot. It checks the harness
measures what it claims (counts, rows written, the table), not the targets themselves."""

import pytest

from bench.fetch import raw_fetch_repeat
from bench.listrows import list_rows_generate
from bench.sandbox import instances_seed
from bench.sync import WriteCounter
from bench.table import Row, p95, table_format
from fleetui.inventory.models import Account, Instance, SyncRun


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
    samples, count = raw_fetch_repeat(endpoint=aws, region="us-east-1", repeat=1)
    assert count == 30
    assert len(samples) == 1 and samples[0] > 0


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
