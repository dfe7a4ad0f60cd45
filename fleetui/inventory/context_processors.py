from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from fleetui.core.roles import user_role

from .selectors import sync_freshness


def freshness(request: HttpRequest) -> dict[str, Any]:
    """The inventory's freshness, for the bar on every page.

    Lazy: its one query runs only when a template shows it (full pages do, htmx fragments do not), and never
    for users without a role.
    """
    if user_role(request.user) is None:
        return {}
    return {"freshness": SimpleLazyObject(sync_freshness)}
