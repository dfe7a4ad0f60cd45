"""`{% load history %}{% history "<sync type>" row %}`: the timeline every resource page ends with."""

from __future__ import annotations

import json
from typing import Any

from django import template

from fleetui.inventory.history.selectors import timeline_of

register = template.Library()

LONGEST = 120


@register.inclusion_tag("inventory/_timeline.html", takes_context=True)
def history(context: dict[str, Any], resource_type: str, row: Any) -> dict[str, Any]:
    """The changes the sync recorded for `row` (a row of `resource_type`), newest first, each a diff with who made
    it; links to the feed filtered to this resource."""
    key = str(getattr(row, row.KEY))
    account_id = getattr(row, "account_id", None)
    region = getattr(row, "region", "")
    return {
        "changes": timeline_of(resource_type=resource_type, account_id=account_id, region=region, resource_id=key),
        "resource_type": resource_type,
        "key": key,
        "request": context.get("request"),
    }


@register.filter
def change_value(value: Any) -> str:
    """A recorded value as one short line: — for nothing, JSON for a list or a mapping."""
    if value is None or value == "":
        return "—"
    text = json.dumps(value, sort_keys=True, default=str) if isinstance(value, dict | list) else str(value)
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"
