"""The audit log: one Action row per button press or API request, written before any AWS call.

An Action's request (who, why, what, on which targets, with which parameters) never changes once
written; only the engine moves its status, progress, step, result and error forward. Log entries are
append-only. Neither can be deleted through the app (Django admin is read-only for them).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from fleetui.inventory.models import Account


class ActionQuerySet(models.QuerySet["Action"]):
    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditProtected("Actions are the audit log: they are never deleted.")


class AuditProtected(Exception):
    """Raised on an attempt to edit an action's request or delete an audit record."""


class Action(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"
        CANCELLED = "cancelled"

    TERMINAL = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)
    # Fields the engine moves forward; everything else is the request and is frozen once written.
    PROGRESS_FIELDS = frozenset(
        {
            "status",
            "progress",
            "step",
            "result",
            "error",
            "started_at",
            "finished_at",
            "heartbeat_at",
            "owner",
            "deliveries",
            "cancel_requested",
            "cancelled_by",
        }
    )

    kind = models.CharField(max_length=64, db_index=True)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="actions")
    region = models.CharField(max_length=32)
    targets = models.JSONField(default=list, blank=True, help_text="Resource ids the action works on.")
    params = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions")
    # A form's one-time token (or the API's Idempotency-Key): the same submission twice is one action.
    idempotency_key = models.CharField(max_length=64, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="Retried or rolled back from.",
    )

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=255, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Liveness of the worker running the action: a redelivered message takes over only when this is stale.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    owner = models.CharField(max_length=128, blank=True, help_text="The delivery that runs the action now.")
    deliveries = models.PositiveSmallIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    cancelled_by = models.CharField(max_length=150, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="action_one_per_submission",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="action_progress_percent"),
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="action_liveness")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        editing = self.pk is not None and not self._state.adding
        if editing and (update_fields is None or not set(update_fields) <= self.PROGRESS_FIELDS):
            raise AuditProtected("An action's request is part of the audit log and cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditProtected("Actions are the audit log: they are never deleted.")

    @property
    def is_done(self) -> bool:
        return self.status in self.TERMINAL

    @property
    def duration(self) -> Any:
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class ActionLogEntry(models.Model):
    """One line of an action's step log."""

    class Level(models.TextChoices):
        INFO = "info"
        WARNING = "warning"
        ERROR = "error"

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="log")
    at = models.DateTimeField(auto_now_add=True)
    level = models.CharField(max_length=8, choices=Level.choices, default=Level.INFO)
    message = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.message

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditProtected("Log entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditProtected("Log entries are append-only.")


class ActionLock(models.Model):
    """One row per resource an unfinished action works on: a second action on it is refused.

    `resource` is "<account id>/<region>/<resource id>". Rows are deleted when the action finishes.
    """

    resource = models.CharField(max_length=320, unique=True)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="locks")

    def __str__(self) -> str:
        return self.resource
