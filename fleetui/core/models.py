"""The base every synced AWS resource model declares against (one app per service, on these columns).

Rows are never deleted by a sync. A row the sync no longer sees gets `gone_at` (the sweep), so the audit
trail survives and a failed fetch never loses data.
"""

from urllib.parse import urlencode

from django.db import models
from django.urls import reverse


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

    def get_absolute_url(self) -> str:
        """Its page in fleetui: its detail page, else its list narrowed to it; "" where it has neither. Each service's
        models say which, with `page_url` or `list_url`."""
        return ""

    @property
    def label(self) -> str:
        """What people call it, a name before an id, wherever fleetui names it (action pages, Activity, history)."""
        return str(self)

    def page_url(self, url_name: str, *args: str) -> str:
        """The page `url_name` whose path is this row's account id and region, then `args`."""
        return reverse(url_name, args=[self.account.account_id, self.region, *args])

    def list_url(self, url_name: str, q: str) -> str:
        """The list `url_name` narrowed to this row: its account, its region and the search `q`."""
        query = urlencode({"account": self.account.account_id, "region": self.region, "q": q})
        return f"{reverse(url_name)}?{query}"
