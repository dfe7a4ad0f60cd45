"""The Activity table."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from fleetui.core.tables import BaseTable, TimeColumn, UrlColumn, badge

from .models import Action
from .registry import OPERATIONS
from .selectors import target_rows

STATUS_CLASSES = {"pending": "info", "running": "info", "succeeded": "ok", "failed": "bad", "cancelled": "warn"}


def duration_text(action: Action) -> str:
    if action.duration is None:
        return "—"
    seconds = int(action.duration.total_seconds())
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def targets_text(targets: list[str], shown: int = 3) -> str:
    more = len(targets) - shown
    return ", ".join(targets[:shown]) + (f" and {more} more" if more > 0 else "")


class ActionTable(BaseTable):
    id = UrlColumn(verbose_name="#", url=lambda r: reverse("actions:detail", args=[r.pk]), text=lambda r: f"#{r.pk}")
    created_at = TimeColumn(verbose_name="Requested")
    requested_by = tables.Column(
        accessor="requested_by__username", verbose_name="Who", order_by="requested_by__username"
    )
    kind = tables.Column(verbose_name="What")
    targets = tables.Column(orderable=False, empty_values=())
    account = tables.Column(accessor="account__account_id", verbose_name="Account", order_by="account__account_id")
    region = tables.Column()
    reason = tables.Column(orderable=False)
    status = tables.Column()
    outcome = tables.Column(empty_values=(), orderable=False, verbose_name="Result")
    duration = tables.Column(empty_values=(), orderable=False)

    key_columns = ("id", "kind", "status")
    wrap_columns = ("targets", "reason", "outcome")

    class Meta(BaseTable.Meta):
        model = Action
        fields = ("id", "created_at", "requested_by", "kind", "targets", "account", "region", "reason", "status")
        order_by = ("-created_at",)

    @cached_property
    def named_targets(self) -> dict[int, dict[str, Any]]:
        """{action pk: {target id: inventory row}} for the shown page: targets by name, in a few queries."""
        page = getattr(self, "page", None)
        return target_rows(row.record for row in (page.object_list if page is not None else self.rows))

    def render_kind(self, record: Action) -> str:
        op = OPERATIONS.get(record.kind)
        return op.label if op is not None else record.kind

    def render_targets(self, record: Action) -> SafeString:
        named = self.named_targets.get(record.pk, {})
        labels = [named[t].label if t in named else t for t in record.targets]
        return format_html('<span title="{}">{}</span>', " ".join(record.targets), targets_text(labels) or "—")

    def render_reason(self, value: str) -> SafeString:
        return format_html('<span class="clip" title="{}">{}</span>', value, value[:80])

    def render_status(self, record: Action) -> SafeString:
        text = record.status if record.is_done else f"{record.status} {record.progress}%"
        return badge(text, STATUS_CLASSES.get(record.status))

    def render_outcome(self, record: Action) -> SafeString:
        op = OPERATIONS.get(record.kind)
        text = op.summary(record, self.named_targets.get(record.pk, {})) if op is not None else record.error
        return format_html('<span class="clip" title="{}">{}</span>', text, text[:90])

    def render_duration(self, record: Action) -> str:
        return duration_text(record)
