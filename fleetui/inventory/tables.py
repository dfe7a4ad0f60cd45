"""The sync runs' table."""

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString

from fleetui.core.humanize import time_html
from fleetui.core.tables import AccountRegionMixin, BaseTable, badge

from .models import SyncRun


class SyncRunTable(AccountRegionMixin, BaseTable):
    resource_type = tables.Column(verbose_name="Resource")
    status = tables.Column()
    started_at = tables.Column(verbose_name="Started")
    finished_at = tables.Column(verbose_name="Finished")
    seen = tables.Column(attrs={"td": {"class": "num"}})
    added = tables.Column(attrs={"td": {"class": "num"}})
    changed = tables.Column(attrs={"td": {"class": "num"}})
    gone = tables.Column(attrs={"td": {"class": "num"}})
    error = tables.Column(orderable=False)

    class Meta(BaseTable.Meta):
        model = SyncRun
        fields: tuple[str, ...] = ()
        sequence = (
            "account", "region", "resource_type", "status", "started_at", "finished_at",
            "seen", "added", "changed", "gone", "error",
        )  # fmt: skip
        row_attrs = {"class": lambda record: "finding" if record.status == "failed" else ""}

    def render_status(self, value: str) -> SafeString:
        return badge(value, "info" if value == "running" else None)

    def render_started_at(self, value: Any) -> SafeString:
        return time_html(value)

    def render_finished_at(self, value: Any) -> SafeString:
        return time_html(value)

    def render_error(self, value: str) -> SafeString:
        return format_html('<span class="error-text">{}</span>', value)
