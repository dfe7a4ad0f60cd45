"""Saved views' pages: save from a list (POST), open (`/views/<id>/` redirects to the list with its query), the
"Views" page to rename, pin, share and delete them, and delete. A viewer may do all of it for their own views; an admin
may delete anyone's. Every change is a POST with its CSRF token."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .models import SavedView
from .roles import Role, has_role
from .savedviews import (
    QUERY_MAX,
    pins_refresh,
    query_to_save,
    saved_list,
    saved_view_get,
    saved_view_owned,
    saved_view_url,
    saved_views_visible,
)
from .views_preferences import _back


class SavedViewForm(forms.ModelForm):
    """A view's name (required, at most SavedView.NAME_MAX characters, one per name per user and list, whatever the
    case), whether it is pinned to its owner's menu and whether it is shared."""

    class Meta:
        model = SavedView
        fields = ["name", "pinned", "shared"]
        labels = {"name": "Name", "pinned": "Pin to my menu", "shared": "Shared"}
        help_texts = {
            "name": "What the menu and the list's Views call it.",
            "pinned": "It shows in your menu, under My views. Only you see your pins.",
            "shared": "Everyone who may see this list can open it, read-only; only you can change it.",
        }
        error_messages = {
            "name": {
                "required": "Give the view a name.",
                "max_length": "At most %(limit_value)d characters (this one has %(show_value)d).",
            }
        }

    def __init__(self, *args: Any, user: Any, list_name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user, self.list_name = user, list_name

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        taken = SavedView.objects.filter(user=self.user, list_name=self.list_name, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                f"You already have a view called “{name}” on this list: choose another name, or rename or delete "
                "that one on the Views page."
            )
        return name


@require_POST
def saved_view_save(request: HttpRequest) -> HttpResponseBase:
    """Save the list's current query under a name. A bad name shows the form again with the reason (400), keeping
    what was typed; the list itself is what refuses bad filters, so the query is kept as it is."""
    target = saved_list(request.POST.get("list", ""))
    if target is None:
        return render(request, "core/savedview_form.html", {"unknown_list": True}, status=400)
    if not has_role(request.user, target.role):
        raise PermissionDenied("Your role may not see this list, so it cannot save a view of it.")
    query = query_to_save(QueryDict(request.POST.get("query", "")))
    form = SavedViewForm(request.POST, user=request.user, list_name=target.name)
    if len(query) > QUERY_MAX:
        form.add_error(None, f"These filters are too long to save ({len(query)} characters; at most {QUERY_MAX}).")
    if form.is_valid() and _saved(form, user=request.user, list_name=target.name, query=query):
        view = form.instance
        pins_refresh(request)
        where = " and pinned to your menu" if view.pinned else ""
        messages.success(request, f"Saved the view “{view.name}”{where}." + (" It is shared." if view.shared else ""))
        return redirect(saved_view_url(view, target))
    back = f"{target.path}?{query}" if query else ""
    context = {"form": form, "target": target, "query": query, "filters": target.describe(query), "back": back}
    return render(request, "core/savedview_form.html", context, status=400)


def _saved(form: SavedViewForm, *, user: Any, list_name: str, query: str) -> bool:
    """Store a new view from a valid form; False (with the reason on the form) when the same name was saved meanwhile
    (two tabs, a double click): the database's unique constraint is the last word."""
    view = form.save(commit=False)
    view.user, view.list_name, view.query = user, list_name, query
    try:
        with transaction.atomic():
            view.save()
    except IntegrityError:
        form.add_error("name", f"You already have a view called “{view.name}” on this list: choose another name.")
        return False
    return True


def saved_view_open(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The stable link to a view: a redirect to its list with its query."""
    view, target = saved_view_get(user=request.user, pk=pk)
    return redirect(saved_view_url(view, target))


def saved_view_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Rename, pin or unpin, share or unshare one of your views."""
    view = saved_view_owned(user=request.user, pk=pk)
    target = saved_list(view.list_name)
    if request.method == "POST":
        form = SavedViewForm(request.POST, instance=view, user=request.user, list_name=view.list_name)
        if form.is_valid():
            form.save()
            pins_refresh(request)
            messages.success(request, f"Saved the view “{view.name}”.")
            return redirect(_back(request, reverse("core:saved_views")))
        status = 400
    else:
        form = SavedViewForm(instance=view, user=request.user, list_name=view.list_name)
        status = 200
    filters = target.describe(view.query) if target else view.query
    context = {"form": form, "view": view, "target": target, "filters": filters, "next": _back(request, "")}
    return render(request, "core/savedview_form.html", context, status=status)


@require_POST
def saved_view_pin(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Pin (`pinned=1`) or unpin one of your views, from the Views page in one click."""
    view = saved_view_owned(user=request.user, pk=pk)
    view.pinned = request.POST.get("pinned") == "1"
    view.save(update_fields=["pinned", "updated_at"])
    pins_refresh(request)
    messages.success(request, f"{'Pinned' if view.pinned else 'Unpinned'} “{view.name}”.")
    return redirect(_back(request, reverse("core:saved_views")))


@require_POST
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Delete one of your views, or, for an admin, anyone's."""
    view = saved_view_owned(user=request.user, pk=pk, admin_may=True)
    whose = "" if view.user_id == request.user.pk else f" of {view.user.get_username()}"
    view.delete()
    pins_refresh(request)
    messages.success(request, f"Deleted the view “{view.name}”{whose}.")
    return redirect(_back(request, reverse("core:saved_views")))


def saved_views_page(request: HttpRequest) -> HttpResponseBase:
    """Your views and the shared ones, of every list your role may see (`?list=<URL name>` narrows to one list);
    admins also see everyone else's, to delete them."""
    is_admin = has_role(request.user, Role.ADMIN)
    views = (SavedView.objects.all() if is_admin else saved_views_visible(request.user)).select_related("user")
    only = request.GET.get("list", "")
    if only:
        views = views.filter(list_name=only)
    mine: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    for view in views.order_by("list_name", "name", "pk"):
        target = saved_list(view.list_name)
        if target is None or not has_role(request.user, target.role):
            continue
        url = reverse("core:saved_view_open", args=[view.pk])
        row = {"view": view, "target": target, "url": url, "filters": target.describe(view.query)}
        (mine if view.user_id == request.user.pk else others).append(row)
    context = {"mine": mine, "others": others, "is_admin": is_admin, "only": saved_list(only) if only else None}
    return render(request, "core/savedviews.html", context)
