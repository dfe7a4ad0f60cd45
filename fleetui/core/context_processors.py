from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .roles import Role, user_role


def fleetui(request: HttpRequest) -> dict[str, Any]:
    """The user's role for the nav bar, and the inventory's freshness for the bar on every page.

    `sandbox_installed` says whether the sandbox's pages exist (demo and test settings), for the nav bar.

    `freshness` is lazy: its one query runs only when a template shows it (full pages do, htmx
    fragments do not), and never for anonymous users.
    """
    role = user_role(request.user)
    context: dict[str, Any] = {"user_role": role, "is_admin": role is not None and role >= Role.ADMIN}
    # The sandbox's fault page exists only in the demo and test settings; the nav links it only there.
    context["sandbox_installed"] = apps.is_installed("fleetui.sandbox")
    if role is not None:
        from fleetui.inventory.selectors import sync_freshness  # the inventory app builds on core, not the reverse

        context["freshness"] = SimpleLazyObject(sync_freshness)
    return context
