"""The menu and the home page's panels: each app declares its own in a `navigation` module, and they are
collected when Django starts (CoreConfig.ready), so adding a service edits no shared template.

An app's `navigation.py` holds `MENU = [MenuEntry(...), ...]` and, optionally, `OVERVIEW = [OverviewPanel(...)]` and
`OWNERS = [Owners(...)]`: what another service's rows belong to in this one (an instance that runs an environment, a
container host, a cluster node), shown on that row's page without its service naming this one.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import reduce
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db.models import Model, Q
from django.urls import reverse
from django.utils.module_loading import import_string, module_has_submodule

from .roles import Role

SERVICES = "services"  # the AWS services' lists, first in the bar
TOOLS = "tools"  # what works across services (activity, accounts, sync runs, admin), after a separator


@dataclass(frozen=True)
class MenuEntry:
    """A link in the top bar. It is marked current on the pages named in `current`: a URL name with its
    namespace ("<app>:<page>"), or a whole namespace ("<app>:"). It shows only to `role` and up."""

    label: str
    url_name: str
    current: tuple[str, ...] = ()
    group: str = SERVICES
    order: int = 100
    role: Role = Role.VIEWER
    # Entries of one section ("Containers") share a dropdown in the bar, placed where its first entry is; "" is a
    # link of its own.
    section: str = ""
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


@dataclass(frozen=True)
class Owner:
    """What a row belongs to, as its page shows it: `what` ("... environment"), `label` (its name), `url`."""

    what: str  # the kind of owner, in the owning service's words
    label: str  # "shop-blue (application shop)"
    url: str


@dataclass(frozen=True)
class Owners:
    """Rows of `resource_type` (another service's sync type) that this app's resources own: `find` names (by dotted
    path, imported when a page first asks) a function `(*, account, region, ids) -> {id: [Owner, ...]}`.

    `owned`, when given, names a function `() -> Q` that selects, among that type's rows, those this app owns, so the
    other service can count and filter its rows by owner ("instances run by the container service"); `label` is
    this service's name there. The choice's key is the declaring app's label, filled in when collected."""

    resource_type: str
    find: str
    owned: str = ""
    label: str = ""
    app: str = ""  # the app label that declared it, filled in when collected

    def find_get(self) -> Callable[..., Mapping[str, list[Owner]]]:
        function: Callable[..., Mapping[str, list[Owner]]] = import_string(self.find)
        return function

    def owned_q(self) -> Q:
        function: Callable[[], Q] = import_string(self.owned)
        return function()


NOT_OWNED = "none"
MENU: list[MenuEntry] = []
OVERVIEW_PANELS: list[OverviewPanel] = []
OWNERS: list[Owners] = []


def navigation_collect() -> None:
    """Gather every installed app's `navigation.MENU`, `OVERVIEW` and `OWNERS`, in order. Idempotent."""
    menu: list[MenuEntry] = [ADMIN_ENTRY]
    panels: list[OverviewPanel] = []
    owners: list[Owners] = []
    for app in apps.get_app_configs():
        if module_has_submodule(app.module, "navigation"):
            module = import_module(f"{app.name}.navigation")
            menu += [replace(entry, app=app.name) for entry in getattr(module, "MENU", [])]
            panels += getattr(module, "OVERVIEW", [])
            owners += [replace(item, app=app.label) for item in getattr(module, "OWNERS", [])]
    groups = [SERVICES, TOOLS]
    MENU[:] = sorted(menu, key=lambda e: (groups.index(e.group) if e.group in groups else len(groups), e.order))
    OVERVIEW_PANELS[:] = sorted(panels, key=lambda p: p.order)
    OWNERS[:] = owners


def owners_of(resource_type: str, *, account: Any, region: str, ids: list[str]) -> dict[str, list[Owner]]:
    """{id: what it belongs to, in every app that declared owners of `resource_type`} for rows of one scope."""
    found: dict[str, list[Owner]] = {}
    for owners in OWNERS:
        if owners.resource_type == resource_type:
            for row_id, owned_by in owners.find_get()(account=account, region=region, ids=ids).items():
                found.setdefault(row_id, []).extend(owned_by)
    return found


def owner_services(resource_type: str) -> list[Owners]:
    """The apps that can say which rows of `resource_type` they own (those that declared `owned`), by label."""
    # An app can be taken out of INSTALLED_APPS while the process runs (tests do): its owners go with it.
    found = [o for o in OWNERS if o.resource_type == resource_type and o.owned and o.app in apps.app_configs]
    return sorted(found, key=lambda o: o.label)


def owned_by(model: type[Model], resource_type: str, app: str) -> Q:
    """The rows of `model` (the rows of `resource_type`) the app labelled `app` owns; NOT_OWNED ("none"): the rows no
    app owns. Each service's condition is taken as a subquery of primary keys, so a condition that is NULL for a row
    (a tag the row lacks) counts as "not owned" instead of dropping the row from both sides."""
    services = owner_services(resource_type)
    chosen = services if app == NOT_OWNED else [item for item in services if item.app == app]
    if not chosen:
        return Q() if app == NOT_OWNED else Q(pk__in=[])
    condition = reduce(operator.or_, (item.owned_q() for item in chosen))
    members = Q(pk__in=model._default_manager.filter(condition).values("pk"))
    return ~members if app == NOT_OWNED else members


def menu_for(role: Role | None, here: str) -> list[dict[str, Any]]:
    """What `role` may see in the top bar, in order: each item a link ({"entry", "current"}) or a section's dropdown
    ({"section", "entries": [links], "current"}), with "first_of_group" on the first item after a group changes."""
    if role is None:
        return []
    # An app can be taken out of INSTALLED_APPS while the process runs (tests do): its entries go with it.
    shown = [entry for entry in MENU if role >= entry.role and (not entry.app or apps.is_installed(entry.app))]
    items: list[dict[str, Any]] = []
    sections: dict[str, dict[str, Any]] = {}
    for entry in shown:
        link = {"entry": entry, "current": entry.is_current(here)}
        if entry.section and entry.section in sections:
            sections[entry.section]["entries"].append(link)
            sections[entry.section]["current"] |= link["current"]
            continue
        item = link
        if entry.section:
            item = sections[entry.section] = {"section": entry.section, "entries": [link], "current": link["current"]}
        item["first_of_group"] = bool(items) and entry.group != items[-1]["group"]
        item["group"] = entry.group
        items.append(item)
    return items


# Django admin, for admins only (a core app of its own: it declares its entry here rather than in a module).
ADMIN_ENTRY = MenuEntry("Django admin", "admin:index", group=TOOLS, order=90, role=Role.ADMIN, section="Admin")
