"""The sync engine's own rows: the accounts it reaches, and one SyncRun per sync of one scope.

The resources themselves are the service apps' models, on fleetui.core.models.AwsResource.
"""

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
