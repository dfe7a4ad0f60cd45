"""Template helpers: `{{ t|reltime }}`, `{{ value|copyable }}`, `{{ mib|mib_to_gib }}`."""

import datetime as dt

from django import template
from django.utils.safestring import SafeString

from fleetui.core.humanize import absolute, copy_html, time_html
from fleetui.core.menu import owners_of
from fleetui.core.models import AwsResource
from fleetui.core.tables import table_body_html

register = template.Library()


@register.filter
def reltime(value: dt.datetime | None) -> SafeString:
    """A relative time with the exact one (in the user's time zone) on hover, or the other way round."""
    return time_html(value)


@register.filter
def abstime(value: dt.datetime | None) -> str:
    return absolute(value) if value else "—"


@register.filter
def copyable(value: object) -> SafeString:
    """The value in monospace with a copy button (static/fleetui/fleetui.js handles [data-copy])."""
    return copy_html(value)


@register.filter
def mib_to_gib(value: int | None) -> str:
    if value is None:
        return "—"
    gib = value / 1024
    return f"{gib:.0f} GiB" if gib >= 10 or gib == int(gib) else f"{gib:.1f} GiB"


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key) if mapping else None


@register.filter
def spaced(value: str | None) -> str:
    """'general-purpose' or 'general_purpose' → 'general purpose'."""
    return (value or "").replace("_", " ").replace("-", " ")


@register.simple_tag
def table_body(table: object) -> SafeString:
    """The rows of a django-tables2 table's current page (see fleetui.core.tables.table_body_html)."""
    return table_body_html(table)  # type: ignore[arg-type]


@register.filter
def pretty_json(value: object) -> str:
    """A JSON value indented for a <pre> (escaped by the template like any string)."""
    import json

    return json.dumps(value, indent=2, sort_keys=True, default=str)


@register.inclusion_tag("components/belongs_to.html")
def belongs_to(resource_type: str, row: AwsResource) -> dict[str, object]:
    """ "Belongs to: …", what the row of `resource_type` belongs to in other services (their `navigation.OWNERS`): an
    environment, a cluster, a stack. Every resource's page shows it under its title; nothing when nothing owns it."""
    key = getattr(row, row.KEY)
    return {"owners": owners_of(resource_type, account=row.account, region=row.region, ids=[key]).get(key, [])}
