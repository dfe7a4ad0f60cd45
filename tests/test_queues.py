"""Actions never wait behind the sync (issue 15, section 1): the two Celery queues and what lands on each, and a
periodic sync that never queues a scope already queued or running, even with several beats or workers at once.

The product's own Celery app sends to a real Redis db here (not eagerly), and the tests read the queues' lists.
"""

import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis
from django.db import connection
from django.utils import timezone
from kombu import pools

from fleetui.actions.services import action_enqueue
from fleetui.celery import app
from fleetui.inventory.models import Account, QueuedSync, SyncRun
from fleetui.inventory.services import sync_queue_clear, sync_queue_mark
from fleetui.inventory.sync import RESOURCE_TYPES
from fleetui.inventory.tasks import sync_all_task, sync_scope_task
from tests.actions.conftest import REGION
from tests.inventory.sync.fleet import DEFAULT_ID
from tests.redis_dbs import INVENTORY_WORKER, redis_url

BROKER = redis_url(INVENTORY_WORKER)  # shared with tests/inventory/test_tasks_worker.py: never at the same time


def _producers_drop() -> None:
    """Celery caches its connections and producers (kombu's pools); drop them so the next send uses the broker set
    now."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def queues() -> Iterator[redis.Redis]:
    """The product's Celery app sends to this test's Redis db instead of running tasks eagerly."""
    client = redis.Redis.from_url(BROKER)
    client.ping()  # no Redis: the test fails here
    client.flushdb()
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = BROKER, False
    _producers_drop()
    yield client
    _producers_drop()
    app.conf.broker_url, app.conf.task_always_eager = saved
    client.flushdb()


def queued(client: redis.Redis, queue: str) -> int:
    return client.llen(queue)


def test_actions_and_their_re_syncs_go_to_the_actions_queue_and_syncs_to_the_sync_queue():
    app.loader.import_default_modules()  # every app's tasks module, as a worker loads them
    routes = {
        name: app.amqp.router.route({}, name)["queue"]
        for name in app.tasks
        if name.startswith(("actions.", "inventory."))
    }
    assert {name: queue.name for name, queue in routes.items()} == {
        "actions.run": "actions",
        "actions.recover": "actions",
        "inventory.sync_ids": "actions",  # an action's targeted re-sync runs with the actions
        "inventory.sync_scope": "sync",
        "inventory.sync_all": "sync",
        "inventory.history_prune": "sync",  # retention's batches never take an action's worker
    }
    # Each queue has its own exchange and routing key: a message for one never reaches the other.
    assert {(q.name, q.exchange.name, q.routing_key) for q in app.conf.task_queues} == {
        ("actions", "actions", "actions"),
        ("sync", "sync", "sync"),
    }


@pytest.mark.django_db
def test_an_action_is_sent_to_the_actions_queue(queues, operator, account):
    from fleetui.actions.models import Action

    action = Action.objects.create(kind="ec2.reboot", account=account, region=REGION, requested_by=operator)
    action_enqueue(action)
    sync_scope_task.delay(account.pk, REGION, "instances")
    assert (queued(queues, "actions"), queued(queues, "sync")) == (1, 1)


@pytest.fixture
def account(db) -> Account:
    return Account.objects.create(account_id=DEFAULT_ID, name="default")


@pytest.mark.django_db
def test_a_scope_is_queued_once_until_its_task_starts(account):
    scope = {"account": account, "region": REGION, "resource_type": "instances"}
    assert sync_queue_mark(**scope) is True
    assert sync_queue_mark(**scope) is False
    assert sync_queue_mark(**{**scope, "resource_type": "volumes"}) is True  # another scope is another mark
    sync_queue_clear(account_pk=account.pk, region=REGION, resource_type="instances")  # the task started
    assert sync_queue_mark(**scope) is True


@pytest.mark.django_db
def test_a_running_scope_is_not_queued_but_a_lost_workers_run_or_a_lost_message_does_not_block_it(account, settings):
    scope = {"account": account, "region": REGION, "resource_type": "instances"}
    run = SyncRun.objects.create(**scope)
    assert sync_queue_mark(**scope) is False
    too_old = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    SyncRun.objects.filter(pk=run.pk).update(started_at=too_old)  # its worker died: syncrun_start fails it
    assert sync_queue_mark(**scope) is True
    lost = timezone.now() - timedelta(seconds=settings.FLEETUI_STALE_AFTER + 1)
    QueuedSync.objects.update(queued_at=lost)  # its message was lost (a flushed broker)
    assert sync_queue_mark(**scope) is True
    assert QueuedSync.objects.get().queued_at > lost


@pytest.mark.django_db(transaction=True)
def test_beat_ticks_on_several_workers_at_once_queue_each_scope_once(aws, queues, settings):
    settings.FLEETUI_REGIONS = [REGION]
    Account.objects.create(account_id=DEFAULT_ID, name="default")
    counts: list[int] = []

    def tick() -> None:
        try:
            counts.append(sync_all_task())
        finally:
            connection.close()

    ticks = [threading.Thread(target=tick) for _ in range(4)]
    for each in ticks:
        each.start()
    for each in ticks:
        each.join(timeout=60)
    assert sorted(counts, reverse=True)[0] > 0 and sum(counts) == len(RESOURCE_TYPES), counts
    assert sync_all_task() == 0  # the next tick finds every scope still queued
    assert queued(queues, "sync") == len(RESOURCE_TYPES)
    assert QueuedSync.objects.count() == len(RESOURCE_TYPES)
