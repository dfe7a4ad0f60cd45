"""The menu and the home page's panels: each app declares its own in a `navigation` module, and they are
collected when Django starts (CoreConfig.ready), so adding a service edits no shared template.

An app's `navigation.py` holds `MENU = [MenuEntry(...), ...]` and, optionally, `OVERVIEW = [OverviewPanel(...)]`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from importlib import import_module
from typing import Any

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import import_string, module_has_submodule

from .roles import Role

SERVICES = "services"  # the AWS services' lists, first in the bar
TOOLS = "tools"  # what works across services (activity, accounts, sync runs, admin), after a separator


@dataclass(frozen=True)
class MenuEntry:
    """A link in the top bar. It is marked current on the pages named in `current`: a URL name with its
    namespace ("ec2:instance_list"), or a whole namespace ("beanstalk:"). It shows only to `role` and up."""

    label: str
    url_name: str
    current: tuple[str, ...] = ()
    group: str = SERVICES
    order: int = 100
    role: Role = Role.VIEWER
    app: str = ""  # the app that declared it, filled in when collected

    @property
    def url(self) -> str:
        return reverse(self.url_name)

    def is_current(self, here: str) -> bool:
        return any(here == name or (name.endswith(":") and here.startswith(name)) for name in self.current)


@dataclass(frozen=True)
class OverviewPanel:
    """A section of the home page: `template` rendered with `panel`, the dict the function named by `context` (a
    dotted path, imported when the page is first shown, so a worker never loads the pages' modules) returns."""

    template: str
    context: str
    order: int = 100

    def context_get(self) -> Mapping[str, Any]:
        function: Callable[[], Mapping[str, Any]] = import_string(self.context)
        return function()


MENU: list[MenuEntry] = []
OVERVIEW_PANELS: list[OverviewPanel] = []


def navigation_collect() -> None:
    """Gather every installed app's `navigation.MENU` and `navigation.OVERVIEW`, in order. Idempotent."""
    menu: list[MenuEntry] = [ADMIN_ENTRY]
    panels: list[OverviewPanel] = []
    for app in apps.get_app_configs():
        if module_has_submodule(app.module, "navigation"):
            module = import_module(f"{app.name}.navigation")
            menu += [replace(entry, app=app.name) for entry in getattr(module, "MENU", [])]
            panels += getattr(module, "OVERVIEW", [])
    groups = [SERVICES, TOOLS]
    MENU[:] = sorted(menu, key=lambda e: (groups.index(e.group) if e.group in groups else len(groups), e.order))
    OVERVIEW_PANELS[:] = sorted(panels, key=lambda p: p.order)


def menu_for(role: Role | None, here: str) -> list[dict[str, Any]]:
    """The entries `role` may see, each {"entry", "current", "first_of_group"} for the top bar."""
    if role is None:
        return []
    # An app can be taken out of INSTALLED_APPS while the process runs (tests do): its entries go with it.
    shown = [entry for entry in MENU if role >= entry.role and (not entry.app or apps.is_installed(entry.app))]
    return [
        {"entry": e, "current": e.is_current(here), "first_of_group": i > 0 and e.group != shown[i - 1].group}
        for i, e in enumerate(shown)
    ]


# Django admin, for admins only (a core app of its own: it declares its entry here rather than in a module).
ADMIN_ENTRY = MenuEntry("Admin", "admin:index", group=TOOLS, order=90, role=Role.ADMIN)
