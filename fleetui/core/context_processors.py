from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from .menu import SERVICES, TOOLS, menu_for
from .roles import Role, user_role
from .savedviews import PinnedLink, pinned_links


def fleetui(request: HttpRequest) -> dict[str, Any]:
    """The user's role and the top bar's menu (fleetui.core.menu), marked with the current page, with the user's
    pinned views (fleetui.core.savedviews) as a "My views" dropdown at the end of the services. A page that sits
    under another (an action's form under the list it was opened from) sets `request.menu_here` to that page's URL
    name, so the menu marks where the user came from."""
    role = user_role(request.user)
    match = getattr(request, "resolver_match", None)
    here = getattr(request, "menu_here", "") or (f"{match.namespace}:{match.url_name}" if match else "")
    menu = menu_for(role, here)
    if menu and (pinned := pinned_links(request)):
        everything = PinnedLink("All saved views…", reverse("core:saved_views"), "")  # to rename, unpin, delete
        pinned.append({"entry": everything, "current": here == "core:saved_views"})
        mine = {"section": "My views", "entries": pinned, "current": any(link["current"] for link in pinned)}
        at = next((i for i, item in enumerate(menu) if item["group"] == TOOLS), len(menu))
        menu.insert(at, {**mine, "group": SERVICES, "first_of_group": False, "id": "my-views"})
    return {"user_role": role, "is_admin": role is not None and role >= Role.ADMIN, "menu": menu}
