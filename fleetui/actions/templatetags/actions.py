"""`{% action_buttons "instances" id account_id region state %}`: the actions a user may run on a resource.

A button is shown only when the user's role allows the kind (the server checks again on submit) and,
for kinds that declare the states they act on, only when the resource is in one of them.
"""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from fleetui.core.roles import has_role

from ..registry import operations_for
from ..results import readable

register = template.Library()


def offered_kinds(user: Any, target_type: str, state: str = "") -> list[Any]:
    ops = [op for op in operations_for(target_type) if has_role(user, op.role) and op.min_targets > 0]
    return [op for op in ops if not state or not hasattr(op, "acts_on") or state in op.acts_on]


@register.simple_tag(takes_context=True)
def action_buttons(
    context: Any, target_type: str, target: str, account_id: str, region: str, state: str = ""
) -> SafeString:
    ops = offered_kinds(context["request"].user, target_type, state)
    query = urlencode({"target": target, "account": account_id, "region": region})
    return format_html_join(
        " ",
        '<a class="btn small{}" href="{}?{}">{}</a>',
        (
            (" danger" if op.destructive else "", reverse("actions:new", args=[op.kind]), query, op.verb or op.label)
            for op in ops
        ),
    )


@register.simple_tag(takes_context=True)
def bulk_action_options(context: Any, target_type: str) -> SafeString:
    """<option>s of the bulk action bar: "Choose an action…" (nothing is preselected, so no click runs a kind nobody
    picked), then the kinds this user may run on a selection, the destructive ones marked."""
    ops = offered_kinds(context["request"].user, target_type)
    choices = format_html_join(
        "",
        '<option value="{}">{}{}</option>',
        ((op.kind, op.label, " (destructive)" if op.destructive else "") for op in ops),
    )
    return format_html('<option value="" selected disabled>Choose an action…</option>{}', choices)


@register.filter
def named(resource_id: Any, rows: dict[str, Any]) -> SafeString:
    """An id as people know it: the inventory row's name, with the id beside it unless the name holds it, linked to
    the row's page; the bare id when the inventory does not know it."""
    row = rows.get(resource_id) if isinstance(resource_id, str) else None
    if row is None:
        return format_html("<code>{}</code>", resource_id)
    label = row.label
    # An ARN is long and says what the name says: it goes in the tooltip, as does an id the name already holds.
    if resource_id in label or resource_id.startswith("arn:"):
        text = format_html('<span title="{}">{}</span>', resource_id, label)
    else:
        text = format_html("{} <code>{}</code>", label, resource_id)
    url = row.get_absolute_url()
    return format_html('<a href="{}">{}</a>', url, text) if url else text


@register.filter(name="readable")
def readable_filter(value: Any) -> Any:
    """A result's value as the page shows it: an ISO time as a relative <time>, yes/no for booleans."""
    return readable(value)
