"""Many workers: different scopes run at once safely; the same scope runs once (the other run skips)."""

import threading
import time

import pytest
from django.db import connection

from fleetui.ec2.models import Instance, InstanceType
from fleetui.inventory.models import Account, SyncRun
from fleetui.inventory.sync import sync_scope
from fleetui.sandbox.faults import fault_inject

from .fleet import DEFAULT_ID, launch

pytestmark = pytest.mark.django_db(transaction=True)


def run_in_threads(*jobs, stagger: float = 0.0) -> list:
    """Run each job in its own thread (its own database connection); return the results in order."""
    results: list = [None] * len(jobs)
    errors: list = []

    def work(index, job):
        try:
            results[index] = job()
        except Exception as error:  # reported below, with the thread's traceback lost but the type kept
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
        time.sleep(stagger)
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_two_regions_upsert_the_global_catalog_at_once(aws):
    account = Account.objects.create(account_id=DEFAULT_ID, name="default")
    runs = run_in_threads(
        lambda: sync_scope(account=account, region="us-east-1", resource_type="instance_types"),
        lambda: sync_scope(account=account, region="eu-west-1", resource_type="instance_types"),
    )
    assert [run.status for run in runs] == ["succeeded", "succeeded"], [run.error for run in runs]
    assert InstanceType.objects.count() == max(run.seen for run in runs)
    assert sum(run.added for run in runs) >= InstanceType.objects.count()


def test_the_same_scope_twice_at_once_runs_once(aws, ec2):
    account = Account.objects.create(account_id=DEFAULT_ID, name="default")
    launch(ec2, 2)
    # The first run's DescribeInstances takes 2 s, so the second starts while the first holds the scope.
    fault_inject(endpoint=aws, action="DescribeInstances", latency_ms=2000, count=1)
    first, second = run_in_threads(
        lambda: sync_scope(account=account, region="us-east-1", resource_type="instances"),
        lambda: sync_scope(account=account, region="us-east-1", resource_type="instances"),
        stagger=0.5,
    )
    assert (first.status, first.skipped, first.added) == ("succeeded", False, 2)
    assert second.skipped is True and second.pk == first.pk
    assert SyncRun.objects.count() == 1
    assert Instance.objects.count() == 2
