"""The sync engine's own rows: the accounts it reaches, one SyncRun per sync of one scope, and the inventory history
(one ResourceChange per resource a sync added, changed or marked gone).

The resources themselves are the service apps' models, on fleetui.core.models.AwsResource.
"""

import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models

ACCOUNT_ID_VALIDATOR = RegexValidator(r"^\d{12}$", "An AWS account id is 12 digits.")
ROLE_ARN_VALIDATOR = RegexValidator(
    r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$", "A role ARN looks like arn:aws:iam::123456789012:role/Name."
)


class Account(models.Model):
    """An AWS account. The one without a role ARN is reached with the ambient credentials."""

    account_id = models.CharField(max_length=12, unique=True, validators=[ACCOUNT_ID_VALIDATOR])
    name = models.CharField(max_length=100)
    role_arn = models.CharField(
        max_length=2048, blank=True, validators=[ROLE_ARN_VALIDATOR], help_text="Empty for the ambient credentials."
    )
    external_id = models.CharField(max_length=1224, blank=True, help_text="Optional ExternalId for AssumeRole.")
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.account_id})"

    @property
    def is_ambient(self) -> bool:
        return not self.role_arn


class SyncRun(models.Model):
    """One sync of one scope: (account, region, resource type). At most one runs per scope at a time."""

    class Status(models.TextChoices):
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="sync_runs")
    region = models.CharField(max_length=32)
    resource_type = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    seen = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    gone = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # Two workers never sync the same scope at once: the second insert fails and it skips.
            models.UniqueConstraint(
                fields=["account", "region", "resource_type"],
                condition=models.Q(status="running"),
                name="one_running_sync_per_scope",
            )
        ]
        indexes = [models.Index(fields=["account", "region", "resource_type", "-started_at"], name="syncrun_scope_idx")]

    def __str__(self) -> str:
        return f"{self.resource_type} {self.account.account_id}/{self.region} {self.status}"


class QueuedSync(models.Model):
    """A scope whose sync task is in the queue. The periodic sync queues a scope only when it has no such row and is
    not running, so syncs never pile up behind a slow one; a unique row per scope keeps that true with N beats or
    workers queuing at once. The task deletes the row when it starts."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    region = models.CharField(max_length=32)
    resource_type = models.CharField(max_length=32)
    queued_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "resource_type"], name="one_queued_sync_per_scope")
        ]

    def __str__(self) -> str:
        return f"{self.resource_type} {self.account_id}/{self.region} queued at {self.queued_at:%H:%M:%S}"


class HistoryEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's cuts them to milliseconds, as ECMA-262 does):
    a record's old values must read back exactly as they were written."""

    def default(self, o: object) -> object:
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


class HistoryProtected(Exception):
    """Raised on an attempt to edit or delete a change record: the history is append-only (retention aside)."""


class ResourceChangeQuerySet(models.QuerySet["ResourceChange"]):
    """Refuses `update()` and `delete()`: records are append-only and only retention prunes."""

    def update(self, **kwargs: object) -> int:
        raise HistoryProtected("Change records are the inventory's history: they are never edited.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise HistoryProtected("Change records are only removed by retention (FLEETUI_HISTORY_DAYS).")

    def _prune(self) -> int:
        """Delete these records (retention only)."""
        return super().delete()[0]


class ResourceChange(models.Model):
    """One change the sync saw in one resource: added, changed (with each field's old and new value) or gone.

    Records are diffs, not versions: `before` holds only the columns the write changed, with their values before it
    ({column: old value}, null for a resource seen for the first time). The live row plus the `before` of the
    records written after T, the oldest one winning for each column, is the row as it was at T: that is how
    `?as_of=T` reads the past (fleetui.inventory.history.asof) without storing a whole row per change. `name` is
    the resource's name (or Name tag) when the change was seen, for the feed. `action_id`/`actor` name the fleetui
    action that made the change and its requester, or are empty when the change was made outside fleetui.
    """

    class Kind(models.TextChoices):
        ADDED = "added"
        CHANGED = "changed"
        GONE = "gone"

    at = models.DateTimeField()
    resource_type = models.CharField(max_length=32)
    # Null for a global type (the catalog), which belongs to no account.
    account = models.ForeignKey(Account, null=True, on_delete=models.CASCADE, related_name="+")
    region = models.CharField(max_length=32, blank=True)
    resource_id = models.CharField(max_length=512)
    # The resource's row (its table's primary key): what `as_of` joins the records since T to.
    row_id = models.BigIntegerField(null=True, blank=True)
    name = models.CharField(max_length=256, blank=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # Null for a targeted re-sync (after an action), which records no SyncRun. SyncRuns are never deleted.
    sync_run = models.ForeignKey(SyncRun, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False)
    diff = models.JSONField(default=dict, blank=True, encoder=HistoryEncoder, help_text="{field: [old, new]}")
    before = models.JSONField(
        null=True, blank=True, encoder=HistoryEncoder, help_text="{column: value before this write}; null: new."
    )
    action_id = models.PositiveIntegerField(null=True, blank=True)
    actor = models.CharField(max_length=150, blank=True, help_text="The requester of `action_id`; empty: outside.")

    objects = ResourceChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="change_feed_idx"),
            models.Index(
                fields=["resource_type", "account", "region", "resource_id", "-at"], name="change_resource_idx"
            ),
            # as_of: the records of a type written after T (the resources to roll back, and how).
            models.Index(fields=["resource_type", "at"], name="change_type_at_idx"),
            models.Index(fields=["actor", "-at"], name="change_actor_idx"),
            # The feed's daily chart counts a month of records by day and kind: read from this index alone.
            models.Index(fields=["at"], include=["kind", "actor", "resource_type"], name="change_chart_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_type} {self.resource_id} {self.kind} at {self.at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise HistoryProtected("Change records are the inventory's history: they are never edited.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise HistoryProtected("Change records are only removed by retention (FLEETUI_HISTORY_DAYS).")


class ChangeCount(models.Model):
    """How many change records a UTC day holds, by resource type, kind and whether fleetui made them: the feed's
    daily chart reads a month from here (a few hundred rows) instead of counting a month of records.

    Kept by the database itself on PostgreSQL (statement triggers on the change table, migration 0008): every insert,
    retention's deletes and a TRUNCATE adjust it in the same transaction, whoever writes. Not kept on SQLite, where
    the chart counts the records."""

    day = models.DateField()
    resource_type = models.CharField(max_length=32)
    kind = models.CharField(max_length=8)
    outside = models.BooleanField(help_text="Made outside fleetui (no action).")
    count = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "resource_type", "kind", "outside"], name="one_change_count_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.resource_type} {self.kind}: {self.count}"
