"""Buttons for Beanstalk pages, by the user's role and the environment's state (the server checks again on submit).

- `{% environment_actions environment %}`: deploy, clone, terminate... for one Environment row.
- `{% create_environment_button application %}`: "New environment" in the application (create or clone).
- `{% swap_button environment production %}`: the "Swap URLs" button that moves the production URL from
  `production` (the Environment holding it, or None) to `environment`; "Swap back" when `environment` is the
  standby. Empty for a worker, for the production environment itself, and for users who may not swap.
"""

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from fleetui.actions.common import request_url
from fleetui.actions.registry import OPERATIONS
from fleetui.actions.templatetags.actions import offered_kinds
from fleetui.beanstalk import swaps
from fleetui.beanstalk.operations.common import ENVIRONMENTS
from fleetui.core.roles import has_role

register = template.Library()
SWAP = "beanstalk.swap"
CREATE = "beanstalk.create_environment"


@register.simple_tag(takes_context=True)
def environment_actions(context: Any, environment: Any) -> SafeString:
    ops = [op for op in offered_kinds(context["request"].user, ENVIRONMENTS, environment.status) if op.kind != SWAP]
    return format_html_join(
        " ",
        '<a class="btn small{}" href="{}">{}</a>',
        (
            (
                " danger" if op.destructive else "",
                request_url(
                    op.kind,
                    account_id=environment.account.account_id,
                    region=environment.region,
                    targets=[environment.environment_id],
                ),
                op.verb or op.label,
            )
            for op in ops
        ),
    )


@register.simple_tag(takes_context=True)
def swap_button(context: Any, environment: Any, production: Any) -> SafeString:
    if production is None or not environment.is_web or environment.pk == production.pk:
        return mark_safe("")
    if not has_role(context["request"].user, OPERATIONS[SWAP].role):
        return mark_safe("")
    standby = swaps.standby_of(
        account=environment.account_id, region=environment.region, environment_id=environment.environment_id
    )
    url = request_url(
        SWAP, account_id=environment.account.account_id, region=environment.region,
        targets=[environment.environment_id], params={"partner": production.environment_id},
        parent=standby.action.pk if standby else None,
    )  # fmt: skip
    label = "Swap back" if standby else "Swap URLs"
    title = f"Move {production.cname} from {production.environment_name} to {environment.environment_name}"
    return format_html('<a class="btn small primary swap" href="{}" title="{}">{}</a>', url, title, label)


@register.simple_tag(takes_context=True)
def create_environment_button(context: Any, application: Any) -> SafeString:
    op = OPERATIONS[CREATE]
    if not has_role(context["request"].user, op.role):
        return mark_safe("")
    url = request_url(
        CREATE, account_id=application.account.account_id, region=application.region,
        params={"application": application.application_name},
    )  # fmt: skip
    return format_html('<a class="btn small" href="{}">New environment</a>', url)
