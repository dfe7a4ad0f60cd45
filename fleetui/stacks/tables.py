"""django-tables2 tables for the CloudFormation lists: every cell reads only the row and its account (joined by the
selector); the resources list links each resource to its inventory row with one query per linked type for the whole
page (`before_render`), never one per row."""

from operator import methodcaller
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe

from fleetui.core.humanize import time_html
from fleetui.core.tables import AccountRegionMixin, BadgeColumn, BaseTable, SelectColumn, TimeColumn, UrlColumn

from .models import Stack, StackEvent, StackResource, is_finding
from .selectors import InventoryLink, link_of, links_for

DRIFT_CLASSES = {"DRIFTED": "bad", "MODIFIED": "bad", "DELETED": "bad", "IN_SYNC": "ok", "UNKNOWN": "warn"}


def status_kind(value: str, record: Any = None) -> str:
    """Failed and rolled-back states are findings (red); settled ones green; in progress blue."""
    if is_finding(value or ""):
        return "bad"
    if value.endswith("_IN_PROGRESS"):
        return "info"
    return "ok" if value.endswith("_COMPLETE") else "muted"


def drift_kind(value: str, record: Any = None) -> str:
    return DRIFT_CLASSES.get(value, "muted")


def drift_html(value: str) -> SafeString:
    if not value or value == "NOT_CHECKED":
        return format_html('<span class="muted">{}</span>', "not checked")
    return format_html('<span class="badge {}">{}</span>', drift_kind(value), value)


def inventory_link_html(resource: Any, link: InventoryLink | None) -> SafeString:
    """The physical id, linked to its inventory row (its name first) when fleetui has it; else as text."""
    if link is None or not link.url:
        return format_html('<code class="small">{}</code>', resource.physical_id or "—")
    gone = format_html(' <span class="badge muted">{}</span>', "gone") if link.gone else ""
    if link.label and link.label != resource.physical_id:
        return format_html(
            '<a href="{}">{}</a> <code class="small">{}</code>{}', link.url, link.label, resource.physical_id, gone
        )
    return format_html('<a href="{}"><code class="small">{}</code></a>{}', link.url, resource.physical_id, gone)


def resources_url(record: Stack) -> str:
    query = {"account": record.account.account_id, "region": record.region, "stack_id": record.stack_id}
    return reverse("stacks:resource_list") + "?" + urlencode(query)


class StackTable(AccountRegionMixin, BaseTable):
    select = SelectColumn(accessor="stack_id")
    name = UrlColumn(verbose_name="Stack", url=methodcaller("get_absolute_url"))
    status = BadgeColumn(kind=status_kind)
    is_sam = tables.Column(verbose_name="SAM", attrs={"td": {"class": "sam"}})
    drift_status = tables.Column(verbose_name="Drift", empty_values=())
    termination_protection = tables.Column(verbose_name="Protected")
    resource_count = tables.Column(verbose_name="Resources", attrs={"td": {"class": "num"}})
    updated_at = TimeColumn(verbose_name="Updated", empty_values=())
    created_at = TimeColumn(verbose_name="Created")

    key_columns = ("name", "status", "drift_status")
    wrap_columns = ("name",)

    class Meta(BaseTable.Meta):
        model = Stack
        fields: tuple[str, ...] = ()
        sequence = (
            "select", "name", "status", "is_sam", "drift_status", "termination_protection", "resource_count",
            "updated_at", "created_at", "account", "region",
        )  # fmt: skip

    def render_is_sam(self, value: bool) -> SafeString:
        return format_html('<span class="badge info">{}</span>', "SAM") if value else mark_safe("")

    def render_drift_status(self, value: str) -> SafeString:
        return drift_html(value)

    def render_termination_protection(self, value: bool) -> str:
        return "on" if value else "off"

    def render_resource_count(self, record: Stack, value: int) -> SafeString:
        return format_html('<a href="{}">{}</a>', resources_url(record), value)

    def render_updated_at(self, record: Stack) -> SafeString:
        return time_html(record.updated_at or record.created_at)


class ResourceTable(AccountRegionMixin, BaseTable):
    logical_id = tables.Column(verbose_name="Logical id")
    stack_name = UrlColumn(verbose_name="Stack", url=methodcaller("get_absolute_url"))
    resource_type = tables.Column(verbose_name="Type")
    physical_id = tables.Column(verbose_name="Physical id (inventory)", empty_values=())
    status = BadgeColumn(kind=status_kind)
    drift_status = tables.Column(verbose_name="Drift", empty_values=())
    updated_at = TimeColumn(verbose_name="Updated")

    key_columns = ("logical_id", "status", "resource_type")
    wrap_columns = ("logical_id", "stack_name", "physical_id")

    class Meta(BaseTable.Meta):
        model = StackResource
        fields: tuple[str, ...] = ()
        sequence = (
            "logical_id", "stack_name", "resource_type", "physical_id", "status", "drift_status", "updated_at",
            "account", "region",
        )  # fmt: skip

    def before_render(self, request: Any) -> None:
        rows = list(self.page.object_list) if getattr(self, "page", None) else []
        self.links = links_for(getattr(row, "record", row) for row in rows)

    def render_physical_id(self, record: StackResource) -> SafeString:
        return inventory_link_html(record, link_of(getattr(self, "links", {}), record))

    def render_drift_status(self, value: str) -> SafeString:
        return drift_html(value)


class EventTable(AccountRegionMixin, BaseTable):
    timestamp = TimeColumn(verbose_name="When")
    stack_name = UrlColumn(verbose_name="Stack", url=methodcaller("get_absolute_url"))
    logical_id = tables.Column(verbose_name="Logical id")
    resource_type = tables.Column(verbose_name="Type")
    status = BadgeColumn(kind=status_kind)
    status_reason = tables.Column(verbose_name="Reason")

    key_columns = ("timestamp", "logical_id", "status")
    wrap_columns = ("stack_name", "logical_id", "status_reason")

    class Meta(BaseTable.Meta):
        model = StackEvent
        fields: tuple[str, ...] = ()
        sequence = (
            "timestamp", "stack_name", "logical_id", "resource_type", "status", "status_reason", "account", "region",
        )  # fmt: skip
