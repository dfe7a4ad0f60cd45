"""Saved views: a list's filters, sort and columns under a name, for every ResourceListView and every list marked
`@saved_views_list`.

A view is the list's URL name ("<app>:<list name>") and its query string without the page, so it follows whatever
the list's URL holds (filters, `sort`, `per_page`, `columns`, `as_of`), unknown parameters included: the list itself
refuses a bad filter with its own message. `/views/<id>/` redirects to the list with that query, a link that can be
shared. Who may open one: its owner, or anyone if it is shared; and only someone whose role may see the list (a 403,
as the list itself would answer). Saving changes nothing in AWS, so a viewer may.

The menu's pinned views are kept in the session (no query per page); a list page reads its views in one query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.dispatch import receiver
from django.http import Http404, HttpRequest, QueryDict
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django_filters.utils import label_for_filter

from .models import SavedView
from .roles import Role, has_role

# What a view never keeps: the page (a view opens at its first page) and the CSV export switch.
NOT_SAVED = ("page", "export")
QUERY_MAX = 2000  # characters: far more than any list's filters, and still a URL every browser and proxy takes


@dataclass(frozen=True)
class SavedList:
    """A list a view can be saved from: its URL name, its path, its title and the role its page needs."""

    name: str
    path: str
    title: str
    role: Role
    filterset: Any = None  # the list's FilterSet class, for its filters' labels

    def describe(self, query: str) -> str:
        """A view's query as people read it: "Search: web · State: running · Sort: -launch_time"; a parameter the list
        does not know shows by its own name, as it was saved."""
        labels, params = _labels(self.filterset), QueryDict(query)
        return " · ".join(f"{labels.get(key, key)}: {', '.join(params.getlist(key))}" for key in params)


def saved_list(list_name: str) -> SavedList | None:
    """The list page named `list_name` (a ResourceListView, or a view marked `@saved_views_list`, without URL
    arguments), or None."""
    from .views import ResourceListView  # the list views import this module's picker

    try:
        path = reverse(list_name)
        match = resolve(path)
    except (NoReverseMatch, Resolver404):
        return None
    role = getattr(match.func, "required_role", Role.VIEWER)
    view_class = getattr(match.func, "view_class", None)
    if isinstance(view_class, type) and issubclass(view_class, ResourceListView):
        return SavedList(list_name, path, view_class.title, role, getattr(view_class.selector, "filterset", None))
    if marked := getattr(match.func, "saved_views_list", None):
        return SavedList(list_name, path, marked[0], role, marked[1])
    return None


F = TypeVar("F", bound=Callable[..., Any])


def saved_views_list(title: str, filterset: Any = None) -> Callable[[F], F]:
    """Mark a list page that is not a ResourceListView (a feed with its own view) as one views can be saved from:
    `title` names it, `filterset` labels its parameters. Its template includes components/saved_views.html in its
    results with `saved_views_context(request)`."""

    def mark(view: F) -> F:
        view.saved_views_list = (title, filterset)  # type: ignore[attr-defined]
        return view

    return mark


def saved_views_context(request: HttpRequest, columns: Any = None) -> dict[str, Any]:
    """What components/saved_views.html needs: the list's URL name, its views to pick from, the query to save.

    `columns` (fleetui.core.columns.ColumnsChosen): columns the user chose in the Columns menu, rather than through
    the URL, are saved as `columns=` too, so the view shows them to whoever opens it."""
    match = request.resolver_match
    list_name = match.view_name if match else ""
    query = request.GET.copy()
    if columns is not None and columns.source == "yours" and "columns" not in query:
        query["columns"] = columns.param
    return {
        "list_name": list_name,
        "list_views": views_of_list(request, list_name) if list_name else [],
        "saved_query": query_to_save(query),
    }


# The list page's own parameters beside its FilterSet's (fleetui.core.views, fleetui.core.tables).
PAGE_PARAMETERS = {"sort": "Sort", "per_page": "Per page", "columns": "Columns", "as_of": "As of"}


@cache
def _labels(filterset: Any) -> dict[str, str]:
    """Each filter's label as the filter bar shows it: its own `label=`, else the one django-filter makes from the
    model field (read without building the form, whose choices may query the inventory)."""
    labels = dict(PAGE_PARAMETERS)
    model = getattr(getattr(filterset, "_meta", None), "model", None)
    for name, declared in getattr(filterset, "base_filters", {}).items():
        label = declared._label
        if label is None and model is not None:
            label = label_for_filter(model, declared.field_name, declared.lookup_expr, declared.exclude)
        labels[name] = str(label or name)
    return labels


def query_to_save(params: QueryDict) -> str:
    """The query string a view keeps: every parameter of `params` in its order, without the page, the export switch
    and empty values (an empty filter filters nothing)."""
    kept = QueryDict(mutable=True)
    for key, values in params.lists():
        if key not in NOT_SAVED and (present := [value for value in values if value != ""]):
            kept.setlist(key, present)
    return kept.urlencode(safe=",")


def saved_view_url(view: SavedView, target: SavedList) -> str:
    return f"{target.path}?{view.query}" if view.query else target.path


def saved_views_visible(user: Any) -> QuerySet[SavedView]:
    """The views `user` may open, lists' roles aside: their own and the shared ones."""
    return SavedView.objects.filter(Q(user=user) | Q(shared=True))


def saved_view_get(*, user: Any, pk: int) -> tuple[SavedView, SavedList]:
    """The view `pk` and its list, for `user` to open: 404 when it does not exist, is someone else's private view or
    its list is gone; 403 when the user's role may not see the list."""
    view = saved_views_visible(user).select_related("user").filter(pk=pk).first()
    target = saved_list(view.list_name) if view else None
    if view is None or target is None:
        raise Http404("No such view, or it is not shared with you.")
    if not has_role(user, target.role):
        raise PermissionDenied("Your role may not see the list this view opens.")
    return view, target


def saved_view_owned(*, user: Any, pk: int, admin_may: bool = False) -> SavedView:
    """The view `pk` for its owner to change (or, with `admin_may`, an admin to delete): 404 when `user` may not see
    it, 403 when they may see it but not change it."""
    view = SavedView.objects.select_related("user").filter(pk=pk).first()
    is_admin = has_role(user, Role.ADMIN)
    if view is None or not (view.user_id == user.pk or view.shared or is_admin):
        raise Http404("No such view, or it is not shared with you.")
    if view.user_id != user.pk and not (admin_may and is_admin):
        raise PermissionDenied("Only its owner may change a view" + (" (or an admin delete it)." if admin_may else "."))
    return view


@dataclass(frozen=True)
class PinnedLink:
    """A pinned view in the menu: the shape of a MenuEntry link (`label`, `url`), with its list's title as a hint."""

    label: str
    url: str
    hint: str


def views_of_list(request: HttpRequest, list_name: str) -> list[SavedView]:
    """The list's views `request.user` may open: theirs first, then the shared ones, by name (one query)."""
    visible = saved_views_visible(request.user).filter(list_name=list_name).select_related("user")
    return sorted(visible, key=lambda view: (view.user_id != request.user.pk, view.name.lower(), view.pk))


# The user's pinned views are kept in the session, as their preferences are (fleetui.core.preferences), so the menu
# costs a page no query: read at login, and again after each change the user makes to their views.
SESSION_KEY = "fleetui_pinned_views"


def pins_of(user: Any) -> list[dict[str, Any]]:
    """The user's pinned views: [{"pk", "name", "list_name", "query"}]."""
    return [
        dict(pin) for pin in SavedView.objects.filter(user=user, pinned=True).values("pk", "name", "list_name", "query")
    ]


def pins_refresh(request: HttpRequest) -> None:
    """Read the user's pins again into this session (after they saved, changed or deleted a view). Their other
    sessions see the change at their next login; a pin deleted meanwhile by an admin opens a 404 until then."""
    request.session[SESSION_KEY] = pins_of(request.user)


@receiver(user_logged_in)
def _pins_load_at_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = pins_of(user)


def pinned_links(request: HttpRequest) -> list[dict[str, Any]]:
    """The user's pinned views as menu links ({"entry", "current"}), by name; the one whose list and query the page
    shows is current. A view whose list is gone, or that the user's role no longer sees, is left out."""
    match = getattr(request, "resolver_match", None)
    here, shown = (match.view_name if match else ""), query_to_save(request.GET)
    pins = request.session.get(SESSION_KEY)
    if pins is None:  # a session from before saved views existed
        pins_refresh(request)
        pins = request.session[SESSION_KEY]
    links = []
    for pin in pins:
        target = saved_list(pin["list_name"])
        if target is None or not has_role(request.user, target.role):
            continue
        link = PinnedLink(pin["name"], reverse("core:saved_view_open", args=[pin["pk"]]), target.title)
        links.append({"entry": link, "current": pin["list_name"] == here and pin["query"] == shown})
    return sorted(links, key=lambda link: link["entry"].label.lower())
