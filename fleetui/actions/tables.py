"""The Activity table."""

from __future__ import annotations

from collections import Counter

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from fleetui.core.tables import BaseTable, TimeColumn, UrlColumn, badge

from .models import Action

STATUS_CLASSES = {"pending": "info", "running": "info", "succeeded": "ok", "failed": "bad", "cancelled": "warn"}


def duration_text(action: Action) -> str:
    if action.duration is None:
        return "—"
    seconds = int(action.duration.total_seconds())
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def outcome_text(action: Action) -> str:
    """One line for the Activity list: the error, or what came of each target ("2 stopped, 1 already stopped")."""
    if action.error:
        return action.error
    # Outcomes keyed by resource id: "instances" (launches key it by the new ids), else whichever dict the targets key.
    targets = set(action.targets)
    keyed = [v for v in action.result.values() if isinstance(v, dict) and v and set(v) <= targets]
    per_target = action.result.get("instances") or (keyed[0] if keyed else None)
    if isinstance(per_target, dict):
        counts = Counter(str(outcome) for outcome in per_target.values())
        return ", ".join(f"{n} {outcome}" for outcome, n in counts.most_common())
    return ", ".join(
        f"{key}: {value}" for key, value in sorted(action.result.items()) if not isinstance(value, dict | list)
    )


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
    targets = tables.Column(orderable=False)
    account = tables.Column(accessor="account__account_id", verbose_name="Account", order_by="account__account_id")
    region = tables.Column()
    reason = tables.Column(orderable=False)
    status = tables.Column()
    outcome = tables.Column(empty_values=(), orderable=False, verbose_name="Result")
    duration = tables.Column(empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Action
        fields = ("id", "created_at", "requested_by", "kind", "targets", "account", "region", "reason", "status")
        order_by = ("-created_at",)

    def render_targets(self, value: list[str]) -> str:
        return targets_text(value) or "—"

    def render_reason(self, value: str) -> SafeString:
        return format_html('<span class="clip" title="{}">{}</span>', value, value[:80])

    def render_status(self, record: Action) -> SafeString:
        text = record.status if record.is_done else f"{record.status} {record.progress}%"
        return badge(text, STATUS_CLASSES.get(record.status))

    def render_outcome(self, record: Action) -> SafeString:
        text = outcome_text(record)
        return format_html('<span class="clip" title="{}">{}</span>', text, text[:90])

    def render_duration(self, record: Action) -> str:
        return duration_text(record)
