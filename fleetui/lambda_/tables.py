"""django-tables2 tables for the Lambda lists: every cell reads only the row and its account (joined by the
selector), so a page never issues a query per row."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from fleetui.core.tables import (
    AccountRegionMixin,
    BadgeColumn,
    BaseTable,
    CopyColumn,
    SelectColumn,
    TimeColumn,
    UrlColumn,
)

from .models import MAX_MEMORY_MB, MAX_TIMEOUT_S, EventSourceMapping, Function
from .runtimes import days_left, deprecation_date
from .selectors import function_url

STATE_CLASSES = {
    # functions and their last update
    "Active": "ok", "Pending": "info", "Inactive": "muted", "Failed": "bad",
    "Successful": "ok", "InProgress": "info",
    # event source mappings
    "Enabled": "ok", "Enabling": "info", "Creating": "info", "Updating": "info", "Disabling": "warn",
    "Disabled": "muted", "Deleting": "warn",
}  # fmt: skip


def state_kind(value: str, record: Any = None) -> str:
    return STATE_CLASSES.get(value, "muted")


def runtime_html(runtime: str) -> SafeString:
    """The runtime, flagged when AWS has deprecated it (the date in the title) or will within 180 days."""
    if not runtime:
        return format_html('<span class="muted">{}</span>', "container image")
    when, days = deprecation_date(runtime), days_left(runtime)
    if when is None or days is None:
        return format_html("{}", runtime)
    if days <= 0:
        return format_html(
            '{} <span class="badge bad" title="Deprecated by AWS on {}">deprecated</span>', runtime, when.isoformat()
        )
    if days <= 180:
        return format_html(
            '{} <span class="badge warn" title="AWS deprecates it on {}">until {}</span>',
            runtime, when.isoformat(), when.isoformat(),
        )  # fmt: skip
    return format_html("{}", runtime)


def limit_html(value: int, limit: int, near: bool, unit: str) -> SafeString:
    """A memory or timeout value, highlighted when it is near Lambda's limit."""
    if near:
        return format_html(
            '<span class="badge warn" title="Lambda allows at most {} {}">{} {}</span>', f"{limit:,}", unit,
            f"{value:,}", unit,
        )  # fmt: skip
    return format_html("{} {}", f"{value:,}", unit)


def concurrency_html(value: int | None) -> SafeString:
    if value is None:
        return format_html('<span class="muted">{}</span>', "unreserved")
    if value == 0:
        return format_html('<span class="badge bad" title="{}">0</span>', "Reserved 0: every invocation is throttled")
    return format_html("{}", value)


def mappings_url(record: Function) -> str:
    query = {"account": record.account.account_id, "region": record.region, "function": record.function_name}
    return reverse("lambda_:event_source_mapping_list") + "?" + urlencode(query)


class FunctionTable(AccountRegionMixin, BaseTable):
    select = SelectColumn(accessor="function_name")
    function_name = UrlColumn(verbose_name="Function", url=function_url)
    runtime = tables.Column(verbose_name="Runtime", empty_values=())
    architecture = tables.Column(verbose_name="Arch")
    memory_mb = tables.Column(verbose_name="Memory", attrs={"td": {"class": "num"}})
    timeout_s = tables.Column(verbose_name="Timeout", attrs={"td": {"class": "num"}})
    reserved_concurrency = tables.Column(verbose_name="Reserved", empty_values=(), attrs={"td": {"class": "num"}})
    mapping_count = tables.Column(verbose_name="Triggers", attrs={"td": {"class": "num"}})
    vpc_id = tables.Column(verbose_name="VPC")
    last_modified = TimeColumn(verbose_name="Modified")

    key_columns = ("function_name", "runtime", "memory_mb")
    wrap_columns = ("function_name",)

    class Meta(BaseTable.Meta):
        model = Function
        fields: tuple[str, ...] = ()
        sequence = (
            "select", "function_name", "runtime", "architecture", "memory_mb", "timeout_s", "reserved_concurrency",
            "mapping_count", "vpc_id", "last_modified", "account", "region",
        )  # fmt: skip

    def render_runtime(self, value: str) -> SafeString:
        return runtime_html(value)

    def render_memory_mb(self, record: Function) -> SafeString:
        return limit_html(record.memory_mb, MAX_MEMORY_MB, record.near_memory, "MB")

    def render_timeout_s(self, record: Function) -> SafeString:
        return limit_html(record.timeout_s, MAX_TIMEOUT_S, record.near_timeout, "s")

    def render_reserved_concurrency(self, value: int | None) -> SafeString:
        return concurrency_html(value)

    def render_mapping_count(self, record: Function, value: int) -> SafeString:
        return format_html('<a href="{}">{}</a>', mappings_url(record), value)


class EventSourceMappingTable(AccountRegionMixin, BaseTable):
    source_name = tables.Column(verbose_name="Source")
    source_type = BadgeColumn(verbose_name="Type", kind=lambda value, record: "info")
    function_name = UrlColumn(verbose_name="Function", url=function_url)
    state = BadgeColumn(kind=state_kind)
    batch_size = tables.Column(verbose_name="Batch size", attrs={"td": {"class": "num"}})
    batching_window_s = tables.Column(verbose_name="Window (s)", attrs={"td": {"class": "num"}})
    last_processing_result = tables.Column(verbose_name="Last result")
    last_modified = TimeColumn(verbose_name="Modified")
    uuid = CopyColumn(verbose_name="UUID")

    default_columns = (
        "source_name",
        "source_type",
        "function_name",
        "state",
        "batch_size",
        "last_processing_result",
        "last_modified",
    )
    key_columns = ("source_name", "state", "function_name")
    wrap_columns = ("source_name", "function_name")

    class Meta(BaseTable.Meta):
        model = EventSourceMapping
        fields: tuple[str, ...] = ()
        sequence = (
            "source_name", "source_type", "function_name", "state", "batch_size", "batching_window_s",
            "last_processing_result", "last_modified", "uuid", "account", "region",
        )  # fmt: skip
