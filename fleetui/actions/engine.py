"""Run an action exactly once, whatever the broker does: claim, heartbeat, run, finish, re-sync.

A task message can arrive more than once (a worker killed mid-action is redelivered by the broker;
`actions.recover` re-sends actions whose message was lost). Each delivery *claims* the row first, in a
locked transaction:

- pending -> running, owned by this delivery;
- running with a fresh heartbeat -> another worker is alive and running it: this delivery backs off
  (`Busy`) and is retried later;
- running with a stale heartbeat, or handed off (`actions_hand_off_stale`) -> the worker died: this delivery
  takes over and the operation resumes (its steps read AWS state first, and client tokens are derived from the
  action id);
- finished -> nothing to do.

A cap on deliveries (FLEETUI_ACTION_MAX_DELIVERIES) stops a task that kills its worker every time from
looping forever: the action is marked failed with what it had done.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from fleetui.aws import STANDARD, AwsError, calls_profile
from fleetui.inventory.sync import sync_ids

from .context import ActionCancelled, ActionContext, ActionLost
from .models import Action, ActionLock, ActionLogEntry
from .registry import ActionFailed, operation_get

logger = logging.getLogger(__name__)


class Busy(Exception):
    """A live worker is running this action; retry the delivery after `retry_in` seconds."""

    def __init__(self, retry_in: int) -> None:
        super().__init__(f"busy; retry in {retry_in} s")
        self.retry_in = retry_in


# The owner of a running action whose worker was lost, from its hand-off until a delivery claims it.
HANDED_OFF = "handed-off"


def stale_after() -> timedelta:
    return timedelta(seconds=settings.FLEETUI_ACTION_STALE_AFTER)


def actions_hand_off_stale() -> list[int]:
    """Hand off every running action whose heartbeat went stale (its worker died); returns their ids, to re-send.

    Each hand-off is one conditional UPDATE (still running, heartbeat still stale), so when every worker looks at
    once exactly one of them hands a given action off and re-sends it. The hand-off owns the action (a worker that
    was only slow gets ActionLost at its next step) and sets a fresh heartbeat: the next delivery takes it over at
    once, and if that message is lost as well, the action goes stale again and is handed off again.
    """
    now = timezone.now()
    stale = Action.objects.filter(status=Action.Status.RUNNING, heartbeat_at__lt=now - stale_after())
    ids = list(stale.values_list("pk", flat=True))
    return [pk for pk in ids if stale.filter(pk=pk).update(owner=HANDED_OFF, heartbeat_at=now)]


def _log(action: Action, message: str, level: str = ActionLogEntry.Level.INFO) -> None:
    ActionLogEntry.objects.create(action=action, level=level, message=message)


def action_claim(action_id: int, *, owner: str) -> Action | None:
    """Take the action for this delivery, or return None when there is nothing to run. Raises Busy."""
    now = timezone.now()
    with transaction.atomic():
        action = Action.objects.select_for_update().select_related("account").filter(pk=action_id).first()
        if action is None or action.is_done:
            return None
        alive = action.heartbeat_at and action.heartbeat_at > now - stale_after() and action.owner != HANDED_OFF
        if action.status == Action.Status.RUNNING and alive:
            raise Busy(settings.FLEETUI_ACTION_STALE_AFTER)
        if action.cancel_requested:
            _finish(action, Action.Status.CANCELLED, error=f"Cancelled by {action.cancelled_by} before it ran.")
            return None
        resumed = action.status == Action.Status.RUNNING
        action.deliveries += 1
        if action.deliveries > settings.FLEETUI_ACTION_MAX_DELIVERIES:
            _finish(
                action,
                Action.Status.FAILED,
                error=(
                    f"The worker running this action was lost {action.deliveries - 1} times; fleetui stopped "
                    "retrying it. The step log and the result show what was done; check the targets."
                ),
            )
            return None
        action.status, action.owner, action.heartbeat_at = Action.Status.RUNNING, owner, now
        action.started_at = action.started_at or now
        action.save(update_fields=["status", "owner", "heartbeat_at", "started_at", "deliveries"])
        if resumed:
            _log(
                action, f"The worker running this action was lost; resuming (delivery {action.deliveries}).", "warning"
            )
        else:
            _log(action, f"Started on {owner.split('/')[0]}.")
    return action


def _finish(action: Action, status: str, *, error: str = "") -> None:
    """Write the end state and free the action's locks. Call inside a transaction."""
    action.status, action.error, action.finished_at = status, error, timezone.now()
    if status == Action.Status.SUCCEEDED:
        action.progress, action.step = 100, "Done"
    action.save(update_fields=["status", "error", "finished_at", "progress", "step", "result", "deliveries"])
    ActionLock.objects.filter(action=action).delete()
    level = ActionLogEntry.Level.INFO if status == Action.Status.SUCCEEDED else ActionLogEntry.Level.ERROR
    _log(action, {"succeeded": "Succeeded.", "cancelled": error or "Cancelled."}.get(status, error), level)


def action_finish(action: Action, status: str, *, owner: str | None, error: str = "") -> bool:
    """Finish the action if `owner` still owns it (None: whoever does). Returns whether it was finished here."""
    with transaction.atomic():
        row = Action.objects.select_for_update().filter(pk=action.pk).first()
        if row is None or row.is_done or (owner is not None and row.owner != owner):
            return False
        row.result = action.result
        _finish(row, status, error=error)
    action.refresh_from_db()
    return True


@contextmanager
def heartbeat(action_id: int, owner: str) -> Iterator[None]:
    """Touch the action's heartbeat from a thread while the operation waits on AWS."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.FLEETUI_ACTION_HEARTBEAT):
                Action.objects.filter(pk=action_id, owner=owner).update(heartbeat_at=timezone.now())
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"action-{action_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def action_execute(action_id: int, *, owner: str) -> ActionContext | None:
    """Claim and run one action in this process; returns its context, the action finished (None: nothing ran).

    `owner` names this delivery (worker, pid, delivery id). Raises Busy if a live worker runs it.
    Errors a person can act on (AWS refusals, ActionFailed, cancel, time limits) end the action as
    failed or cancelled with the message; anything else is a bug and propagates after the task's
    failure hook records it.
    """
    action = action_claim(action_id, owner=owner)
    if action is None:
        return None
    op = operation_get(action.kind)
    ctx = ActionContext(action, owner=owner)
    status, error = Action.Status.SUCCEEDED, ""
    try:
        # Wherever it runs (a worker, or inline in a web request), an action may wait on AWS: the standard profile.
        with heartbeat(action.pk, owner), calls_profile(STANDARD):
            op.run(ctx)
    except ActionLost:
        logger.warning("Action %s was taken over by another delivery; %s stops.", action.pk, owner)
        return None
    except ActionCancelled as stop:
        status, error = Action.Status.CANCELLED, str(stop)
    except (AwsError, ActionFailed) as failure:
        status, error = Action.Status.FAILED, str(failure)
    except SoftTimeLimitExceeded:
        status = Action.Status.FAILED
        error = f"Stopped at the time limit ({settings.FLEETUI_ACTION_TIME_LIMIT} s); the log shows the last step."
    with calls_profile(STANDARD):
        resync(action, op)
    action_finish(action, status, owner=owner, error=error)
    return ctx


def resync(action: Action, op: Any) -> None:
    """Re-sync exactly what the action touched, so the inventory shows the result when the action ends."""
    for resource_type, ids in op.touched(action).items():
        if not ids:
            continue
        try:
            sync_ids(account=action.account, region=action.region, resource_type=resource_type, ids=ids)
        except AwsError as error:
            _log(action, f"Could not refresh the inventory of {resource_type}: {error}. The next sync will.", "warning")
