"""`{% service_actions service %}`: a button per ECS action kind the user may run on one service (scale, force a
new deployment, ...), each linking to its request page with the service, account and region filled in. The kinds
are whatever fleetui.ecs.operations declares for `ecs_services`; the server checks the role again on submit."""

from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from fleetui.actions.common import request_url
from fleetui.actions.templatetags.actions import offered_kinds

register = template.Library()


@register.simple_tag(takes_context=True)
def service_actions(context: Any, service: Any) -> SafeString:
    ops = offered_kinds(context["request"].user, "ecs_services")
    return format_html_join(
        " ",
        '<a class="btn small{}" href="{}" data-kind="{}">{}</a>',
        (
            (
                " danger" if op.destructive else "",
                request_url(
                    op.kind, account_id=service.account.account_id, region=service.region, targets=[service.service_arn]
                ),
                op.kind,
                op.verb or op.label,
            )
            for op in ops
        ),
    )
