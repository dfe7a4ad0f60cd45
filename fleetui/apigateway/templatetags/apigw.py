"""Cells for the API Gateway detail pages, the same as the lists' (fleetui.apigateway.tables)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from fleetui.apigateway.tables import integration_kind, target_html, type_kind
from fleetui.core.tables import badge

register = template.Library()


@register.filter
def apigw_type(value: str) -> SafeString:
    return badge(value, type_kind(value))


@register.filter
def apigw_integration(value: str) -> SafeString:
    return badge(value or "none", integration_kind(value))


@register.filter
def apigw_target(target: Any) -> SafeString:
    """A selectors.RouteTarget's target: the route's integration, with the EC2 instance or Lambda function it names
    linked, and a function the Lambda inventory no longer holds marked."""
    return target_html(target.route, target.instance, target.function, missing=target.function_missing)
