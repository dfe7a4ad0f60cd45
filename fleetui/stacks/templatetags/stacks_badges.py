"""Badges for the CloudFormation pages, the same as the lists' cells (fleetui.stacks.tables)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from fleetui.core.tables import badge
from fleetui.stacks.tables import drift_html, inventory_link_html, status_kind

register = template.Library()


@register.filter
def stack_status(value: str) -> SafeString:
    return badge(value, status_kind(value))


@register.filter
def stack_drift(value: str) -> SafeString:
    return drift_html(value)


@register.filter
def stack_resource_link(row: Any) -> SafeString:
    """A selectors.ResourceRow's physical id, linked to its inventory row when fleetui has it."""
    return inventory_link_html(row.resource, row.link)
