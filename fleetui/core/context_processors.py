from typing import Any

from django.http import HttpRequest

from .menu import menu_for
from .roles import Role, user_role


def fleetui(request: HttpRequest) -> dict[str, Any]:
    """The user's role and the top bar's menu (fleetui.core.menu), marked with the current page. A page that sits
    under another (an action's form under the list it was opened from) sets `request.menu_here` to that page's URL
    name, so the menu marks where the user came from."""
    role = user_role(request.user)
    match = getattr(request, "resolver_match", None)
    here = getattr(request, "menu_here", "") or (f"{match.namespace}:{match.url_name}" if match else "")
    return {"user_role": role, "is_admin": role is not None and role >= Role.ADMIN, "menu": menu_for(role, here)}
