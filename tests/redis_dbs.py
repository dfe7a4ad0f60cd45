"""The Redis db of each test module that starts a real Celery worker: no two that run at the same time share one.

Each such module has a slot (the bench's smoke test shares the actions' workers' one, as before). Under pytest-xdist
every worker process (gw0, gw1, ...) gets a block of SLOTS dbs of its own: modules running at the same time in two
processes never read each other's messages nor flush each other's queue. FLEETUI_TEST_REDIS_OFFSET moves the whole
layout, so two runs on one machine (two checkouts, two developers) can be kept apart too:

    db = (offset + xdist worker index * SLOTS + slot) % 16

FLEETUI_TEST_REDIS_PORT (default 6379) points a run at another Redis server on 127.0.0.1 altogether.

The default offset, 6, puts `make test` (`-n 4`) on dbs 6-15 and 0-1: clear of `make bench`'s db 5
(bench/actions.py).
"""

import os

from celery import Celery
from django.conf import settings

INVENTORY_WORKER, ACTIONS_WORKER, BROWSER = range(3)
SLOTS = 3
DATABASES = 16  # Redis's default `databases`


def redis_db(slot: int) -> int:
    index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))  # set by xdist in its workers
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers * SLOTS > DATABASES:
        raise RuntimeError(f"{workers} xdist workers need {workers * SLOTS} Redis dbs, more than {DATABASES}")
    offset = int(os.environ.get("FLEETUI_TEST_REDIS_OFFSET", "6"))
    return (offset + index * SLOTS + slot) % DATABASES


def redis_url(slot: int) -> str:
    port = int(os.environ.get("FLEETUI_TEST_REDIS_PORT", "6379"))
    return f"redis://127.0.0.1:{port}/{redis_db(slot)}"


def task_sender(name: str, broker: str) -> Celery:
    """A Celery app (not the current one: shared tasks must not follow it) that sends to `broker` with fleetui's
    queues and routes, as the production app does: a task sent by name lands on its queue (actions or sync)."""
    sender = Celery(name, broker=broker, set_as_current=False)
    sender.conf.update(
        task_queues=settings.CELERY_TASK_QUEUES,
        task_routes=settings.CELERY_TASK_ROUTES,
        task_default_queue=settings.CELERY_TASK_DEFAULT_QUEUE,
    )
    return sender
