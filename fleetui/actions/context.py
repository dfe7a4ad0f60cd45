"""What an operation sees while it runs: its action, progress and log writes, cancel checks, and ClientTokens."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.utils import timezone

from fleetui.aws import AccountRef
from fleetui.inventory.sync import account_ref

from .models import Action, ActionLogEntry
from .registry import ActionFailed

T = TypeVar("T")


class ActionCancelled(Exception):
    """Someone pressed Cancel; raised at the next checkpoint, between steps."""


class ActionLost(Exception):
    """Another delivery took the action over (this one's heartbeat went stale); stop without writing."""


class ActionContext:
    """Progress, log and cancel checks for one run of one action, by one delivery (`owner`)."""

    def __init__(self, action: Action, *, owner: str) -> None:
        self.action = action
        self.owner = owner
        self.secret: dict[str, Any] = {}  # returned to an inline caller, never stored

    @property
    def account(self) -> AccountRef:
        return account_ref(self.action.account)

    @property
    def region(self) -> str:
        return self.action.region

    @property
    def params(self) -> dict[str, Any]:
        return self.action.params

    @property
    def targets(self) -> list[str]:
        return list(self.action.targets)

    @property
    def result(self) -> dict[str, Any]:
        """What has been done so far; saved with every step, so a failure still records it."""
        return self.action.result

    @property
    def resumed(self) -> bool:
        return self.action.deliveries > 1

    def client_token(self, name: str = "") -> str:
        """A client token (ClientToken, for the AWS calls that take one) derived from the action id: a redelivered
        call creates nothing new."""
        return f"fleetui-action-{self.action.pk}{'-' + name if name else ''}"[:64]

    def _mine(self) -> Any:
        return Action.objects.filter(pk=self.action.pk, owner=self.owner)

    def log(self, message: str, *, level: str = ActionLogEntry.Level.INFO) -> None:
        ActionLogEntry.objects.create(action=self.action, level=level, message=message)

    def step(self, message: str, *, progress: int | None = None) -> None:
        """Start a step: check for cancel, then record the step, the progress and the result so far."""
        self.checkpoint()
        self.log(message)
        self.action.step = message[:255]
        if progress is not None:
            self.action.progress = max(0, min(100, progress))
        self._save("step", "progress")

    def progress(self, value: int) -> None:
        self.action.progress = max(0, min(100, value))
        self._save("progress")

    def _save(self, *fields: str) -> None:
        values = {name: getattr(self.action, name) for name in (*fields, "result")}
        if not self._mine().update(heartbeat_at=timezone.now(), **values):
            raise ActionLost(f"Action {self.action.pk} was taken over by another delivery.")

    def checkpoint(self) -> None:
        """Between steps: stop if a cancel was requested, or if another delivery owns the action now."""
        row = Action.objects.filter(pk=self.action.pk).values("owner", "cancel_requested", "cancelled_by").first()
        if row is None or row["owner"] != self.owner:
            raise ActionLost(f"Action {self.action.pk} was taken over by another delivery.")
        if row["cancel_requested"]:
            raise ActionCancelled(f"Cancelled by {row['cancelled_by'] or 'a user'} between steps.")

    def wait(self, check: Callable[[], T | None], *, what: str, timeout: float, interval: float = 2.0) -> T:
        """Poll `check()` until it returns something other than None, checking for cancel in between.

        Raises ActionFailed with `what` when `timeout` seconds pass first.
        """
        deadline = time.monotonic() + timeout
        while True:
            found = check()
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise ActionFailed(f"Timed out after {timeout:.0f} s waiting for {what}.")
            self.checkpoint()
            time.sleep(interval)

    def note(self, **values: Any) -> None:
        """Record part of the result now (e.g. launched instance ids), before the next step can fail."""
        self.action.result.update(values)
        self._save()
