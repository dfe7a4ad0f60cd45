"""Badges for Lambda pages, the same as the lists' cells (fleetui.lambda_.tables)."""

from django import template
from django.utils.safestring import SafeString

from fleetui.core.tables import badge
from fleetui.lambda_.tables import concurrency_html, runtime_html, state_kind

register = template.Library()


@register.filter
def lambda_state(value: str) -> SafeString:
    return badge(value, state_kind(value)) if value else SafeString("—")


@register.filter
def lambda_runtime(value: str) -> SafeString:
    return runtime_html(value)


@register.filter
def lambda_concurrency(value: int | None) -> SafeString:
    return concurrency_html(value)
