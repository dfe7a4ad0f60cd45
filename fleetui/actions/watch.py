"""Every worker that runs actions watches for actions whose worker died, and re-sends them at once.

Beat's `actions.recover` ticks once a minute, and Redis hands an unacknowledged message to another worker only after
its visibility timeout (2 h): a worker killed mid-action would leave the action waiting for one of them. Instead a
thread in the main process of each worker that consumes the actions queue looks when the worker is ready and then
every FLEETUI_ACTION_HEARTBEAT seconds. An action whose heartbeat is older than FLEETUI_ACTION_STALE_AFTER is handed
off (atomically: with N workers watching, one of them re-sends it) and claimed by the next free worker, so a lost
action resumes about FLEETUI_ACTION_STALE_AFTER + FLEETUI_ACTION_HEARTBEAT seconds after its last heartbeat.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.db import connection

from .engine import actions_hand_off_stale
from .models import Action

logger = logging.getLogger(__name__)
_stop = threading.Event()


def stale_actions_resend() -> int:
    """Hand off the running actions whose worker died and send their task again; returns how many."""
    from .services import action_enqueue

    handed_off = actions_hand_off_stale()
    for action in Action.objects.filter(pk__in=handed_off).only("pk", "task_id"):
        action_enqueue(action)
    if handed_off:
        logger.warning("The worker running action(s) %s was lost; re-sent to resume.", handed_off)
    return len(handed_off)


def _watch() -> None:
    while True:
        try:
            stale_actions_resend()
        except Exception:  # a database or broker outage must not end the watch: the next look tries again
            logger.exception("Could not look for actions whose worker was lost; looking again shortly.")
        finally:
            connection.close()  # this thread's own connection, closed between looks
        if _stop.wait(settings.FLEETUI_ACTION_HEARTBEAT):
            return


@worker_ready.connect
def watch_start(sender: Any, **kwargs: Any) -> None:
    """Start watching in a worker that consumes the actions queue (a sync-only worker does not run actions)."""
    if settings.FLEETUI_ACTIONS_QUEUE not in sender.app.amqp.queues.consume_from:
        return
    _stop.clear()
    threading.Thread(target=_watch, name="lost-actions-watch", daemon=True).start()


@worker_shutdown.connect
def watch_stop(**kwargs: Any) -> None:
    _stop.set()
