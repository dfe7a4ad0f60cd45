"""The sync runs' table."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString

from fleetui.core.tables import AccountRegionMixin, BadgeColumn, BaseTable, TimeColumn

from .models import SyncRun


class SyncRunTable(AccountRegionMixin, BaseTable):
    resource_type = tables.Column(verbose_name="Resource")
    status = BadgeColumn(kind=lambda value, _: "info" if value == "running" else None)
    started_at = TimeColumn(verbose_name="Started")
    finished_at = TimeColumn(verbose_name="Finished")
    seen = tables.Column(attrs={"td": {"class": "num"}})
    added = tables.Column(attrs={"td": {"class": "num"}})
    changed = tables.Column(attrs={"td": {"class": "num"}})
    gone = tables.Column(attrs={"td": {"class": "num"}})
    error = tables.Column(orderable=False)

    key_columns = ("resource_type", "status", "finished_at")
    wrap_columns = ("error",)

    class Meta(BaseTable.Meta):
        model = SyncRun
        fields: tuple[str, ...] = ()
        sequence = (
            "account", "region", "resource_type", "status", "started_at", "finished_at",
            "seen", "added", "changed", "gone", "error",
        )  # fmt: skip
        row_attrs = {"class": lambda record: "finding" if record.status == "failed" else ""}

    def render_error(self, value: str) -> SafeString:
        return format_html('<span class="error-text">{}</span>', value)
