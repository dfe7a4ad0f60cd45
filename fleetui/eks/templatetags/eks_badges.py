"""Badges for EKS pages, the same as the lists' cells (fleetui.eks.tables)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from fleetui.core.tables import badge
from fleetui.eks.tables import capacity_kind, issues_html, selectors_html, status_kind

register = template.Library()


@register.filter
def eks_status(value: str) -> SafeString:
    return badge(value, status_kind(value))


@register.filter
def eks_capacity(value: str) -> SafeString:
    return badge(value, capacity_kind(value))


@register.filter
def eks_issues(value: list[dict[str, Any]]) -> SafeString:
    return issues_html(value)


@register.filter
def eks_selectors(value: list[dict[str, Any]]) -> SafeString:
    return selectors_html(value)
