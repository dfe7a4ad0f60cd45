"""Badges for EMR pages, the same as the lists' cells (fleetui.emr.tables)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from fleetui.core.tables import badge
from fleetui.emr.tables import applications_html, auto_termination_html, bid_html, counts_html, market_kind, state_kind

register = template.Library()


@register.filter
def emr_state(value: str) -> SafeString:
    return badge(value, state_kind(value))


@register.filter
def emr_market(value: str) -> SafeString:
    return badge(value, market_kind(value))


@register.filter
def emr_applications(value: list[dict[str, str]]) -> SafeString:
    return applications_html(value)


@register.filter
def emr_counts(group: Any) -> SafeString:
    return counts_html(group)


@register.filter
def emr_bid(group: Any) -> SafeString:
    return bid_html(group)


@register.filter
def emr_auto_termination(cluster: Any) -> SafeString:
    return auto_termination_html(cluster)
