"""Badges for Batch pages, the same as the lists' cells (fleetui.batch.tables)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from fleetui.batch.tables import job_kind, resource_kind, status_kind, vcpus_html
from fleetui.core.tables import badge

register = template.Library()


@register.filter
def batch_status(value: str) -> SafeString:
    return badge(value, status_kind(value))


@register.filter
def batch_job_status(value: str) -> SafeString:
    return badge(value, job_kind(value))


@register.filter
def batch_resource(value: str) -> SafeString:
    return badge(value, resource_kind(value))


@register.filter
def batch_vcpus(env: Any) -> SafeString:
    return vcpus_html(env)
