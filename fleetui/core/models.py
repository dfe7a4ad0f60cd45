"""The base every synced AWS resource model declares against (one app per service, on these columns).

Rows are never deleted by a sync. A row the sync no longer sees gets `gone_at` (the sweep), so the audit
trail survives and a failed fetch never loses data.
"""

from django.db import models


class AwsResource(models.Model):
    """Columns every synced resource has. `KEY` names the AWS identifier, unique per account and region."""

    KEY: str = ""

    account = models.ForeignKey("inventory.Account", on_delete=models.CASCADE, related_name="+")
    region = models.CharField(max_length=32)
    tags = models.JSONField(default=dict, blank=True)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    gone_at = models.DateTimeField(null=True, blank=True, help_text="Set when a complete sync no longer saw it.")

    class Meta:
        abstract = True
