"""The base every synced AWS resource model declares against (one app per service, on these columns).

Rows are never deleted by a sync. A row the sync no longer sees gets `gone_at` (the sweep), so the audit
trail survives and a failed fetch never loses data.
"""

from urllib.parse import urlencode

from django.db import models
from django.db.models.functions import Lower
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


class Preference(models.Model):
    """A user's display preferences (fleetui.core.preferences): their time zone, how times show, the colour theme."""

    TIMES = [
        ("relative", "Relative (“5 min ago”), the exact time on hover"),
        ("absolute", "Exact, “5 min ago” on hover"),
    ]
    THEMES = [("auto", "Follow the system"), ("light", "Light"), ("dark", "Dark")]

    user = models.OneToOneField("auth.User", on_delete=models.CASCADE, related_name="fleetui_preference")
    time_zone = models.CharField(max_length=64, default="UTC")
    times = models.CharField(max_length=8, choices=TIMES, default="relative")
    theme = models.CharField(max_length=8, choices=THEMES, default="auto")

    def __str__(self) -> str:
        return f"{self.user}: {self.time_zone}, {self.times} times, {self.theme} theme"


class ListColumns(models.Model):
    """The columns a user chose for one list (fleetui.core.columns), by the list's URL name ("<app>:<list name>").
    No row means the table's defaults; the CSV and the API always have every column."""

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="+")
    list_name = models.CharField(max_length=100)
    columns = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "list_name"], name="core_listcolumns_user_list")]

    def __str__(self) -> str:
        return f"{self.user} on {self.list_name}: {', '.join(self.columns)}"


class SavedView(models.Model):
    """A list's filters, sort and columns under a name (fleetui.core.savedviews): the list's URL name and its query
    string without the page. Its owner may pin it to their menu; a shared one opens for everyone who may see the
    list, read-only for them."""

    NAME_MAX = 60

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="saved_views")
    list_name = models.CharField(max_length=100, help_text="The list's URL name, such as <app>:<list name>.")
    name = models.CharField(max_length=NAME_MAX)
    query = models.TextField(blank=True, help_text="The list's query string, without the page.")
    pinned = models.BooleanField(default=False, help_text="Shown in its owner's menu, under My views.")
    shared = models.BooleanField(default=False, help_text="Everyone who may see the list may open it.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # "Prod web" and "prod web" on one list would be two menu entries nobody could tell apart.
            models.UniqueConstraint(Lower("name"), "user", "list_name", name="core_savedview_name_unique"),
        ]
        indexes = [models.Index(fields=["list_name", "shared"], name="core_savedview_list_shared")]

    def __str__(self) -> str:
        return f"{self.name} ({self.list_name}, {self.user})"
