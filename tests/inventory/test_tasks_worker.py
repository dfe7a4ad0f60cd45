"""A real Celery worker process consuming inventory tasks from Redis, syncing from moto into PostgreSQL.

Eager mode hides the broker, serialisation and the worker's own process; this test does not. It
fails (never skips) when Redis is missing.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from fleetui.ec2.models import Instance
from fleetui.inventory.models import Account, SyncRun
from fleetui.inventory.sync import RESOURCE_TYPES
from tests.redis_dbs import INVENTORY_WORKER, redis_url, task_sender

from .sync.fleet import DEFAULT_ID, launch

BROKER = redis_url(INVENTORY_WORKER)  # this module's own Redis db (tests/redis_dbs.py)
TIMEOUT = 90


def wait_for(condition, what: str, worker: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        assert worker.poll() is None, f"the worker died:\n{log.read_text()[-3000:]}"
        time.sleep(0.3)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text()[-3000:]}")


@pytest.fixture
def worker(aws, tmp_path):
    """A `celery worker --pool=solo` on this module's Redis db, pointed at the test database and the moto server."""
    broker = redis.Redis.from_url(BROKER)
    broker.ping()  # no Redis: the test fails here
    broker.flushdb()
    env = {
        **os.environ,
        "CELERY_BROKER_URL": BROKER,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
        "DJANGO_SETTINGS_MODULE": "fleetui.settings.worker_test",
        "FLEETUI_REGIONS": "us-east-1",
    }
    log = tmp_path / "worker.log"
    command = [sys.executable, "-m", "celery", "-A", "fleetui", "worker", "--pool=solo", "--loglevel=INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"test-{uuid.uuid4().hex[:8]}@%h"]
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        broker.flushdb()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_syncs_scopes_sent_through_redis(ec2, worker):
    process, log = worker
    account = Account.objects.create(account_id=DEFAULT_ID, name="default")
    ids = launch(ec2, 2)
    sender = task_sender("test-sender", BROKER)

    sender.send_task("inventory.sync_scope", args=[account.pk, "us-east-1", "instances"])
    finished = SyncRun.objects.filter(resource_type="instances").exclude(status="running")
    wait_for(finished.exists, "the instances' sync run to finish", process, log)
    assert sorted(Instance.objects.values_list("instance_id", flat=True)) == sorted(ids)
    run = finished.get()
    assert (run.status, run.added) == ("succeeded", 2)

    # sync_all fans out one inventory.sync_scope task per scope through Redis; the same worker runs them.
    sender.send_task("inventory.sync_all")
    done = SyncRun.objects.filter(account=account, region="us-east-1").exclude(status="running")
    wait_for(lambda: done.count() == 1 + len(RESOURCE_TYPES), "every scope of sync_all", process, log)
    assert set(done.values_list("status", flat=True)) == {"succeeded"}, list(done.values("resource_type", "error"))
    assert "inventory.sync_scope" in log.read_text()
