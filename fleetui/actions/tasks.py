"""The action task is thin: it runs the action's row through the engine. Celery's hooks keep the row true."""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone

from .engine import Busy, action_execute, action_finish
from .models import Action
from .watch import stale_actions_resend

logger = logging.getLogger(__name__)


class ActionTask(Task):
    """Records a crash of the task body (a bug, not an AWS refusal) on the action, so no row stays "running"."""

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        action = Action.objects.filter(pk=args[0]).first() if args else None
        if action is not None:
            action_finish(
                action, Action.Status.FAILED, owner=None, error=f"Internal error: {type(exc).__name__}: {exc}"
            )


@shared_task(
    bind=True,
    base=ActionTask,
    name="actions.run",
    max_retries=None,
    soft_time_limit=settings.FLEETUI_ACTION_TIME_LIMIT,
    time_limit=settings.FLEETUI_ACTION_TIME_LIMIT + 60,
)
def run_action(self: Task, action_id: int) -> str:
    """Run one action. A duplicate delivery while a live worker runs it retries later instead of running twice."""
    delivery = f"{socket.gethostname()}:{os.getpid()}/{self.request.id}/{self.request.retries}"
    try:
        ctx = action_execute(action_id, owner=delivery)
    except Busy as busy:
        raise self.retry(countdown=busy.retry_in) from None
    return ctx.action.status if ctx else "nothing to do"


@shared_task(name="actions.recover")
def recover_actions() -> int:
    """Re-send actions whose message was lost: pending ones never picked up, running ones whose worker died.

    Every actions worker already re-sends the running ones (fleetui.actions.watch); this periodic task is the
    backstop for when none is running, and the only one for pending actions. Duplicates are harmless (a delivery
    claims the row first), so this errs on the side of sending. Returns how many were re-sent.
    """
    from .services import action_enqueue

    pending_since = timezone.now() - timedelta(seconds=settings.FLEETUI_ACTION_PENDING_RESEND)
    lost = Action.objects.filter(status=Action.Status.PENDING, created_at__lt=pending_since)
    count = 0
    for action in lost.only("pk", "task_id"):
        action_enqueue(action)
        count += 1
    if count:
        logger.warning("Re-sent %s pending action(s) whose task was lost.", count)
    return count + stale_actions_resend()
