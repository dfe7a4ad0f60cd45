"""The user's preferences page (time zone, time display, theme), the top bar's light/dark toggle, and a list's
Columns menu."""

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .columns import PARAM, choosable, columns_default, columns_save
from .models import Preference
from .preferences import preferences_save, request_preferences, time_zone_names
from .views import ResourceListView


class PreferenceForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Time zone",
        help_text="Every page and CSV export shows times in this zone. The API always answers in UTC.",
    )
    times = forms.ChoiceField(label="Show times", choices=Preference.TIMES, widget=forms.RadioSelect)
    theme = forms.ChoiceField(label="Theme", choices=Preference.THEMES, widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zone = self.fields["time_zone"]
        assert isinstance(zone, forms.ChoiceField)
        zone.choices = [(name, name.replace("_", " ")) for name in time_zone_names()]
        zone.error_messages["invalid_choice"] = (
            "%(value)s is not a time zone fleetui knows: choose one from the list (an IANA name such as Europe/Paris)."
        )


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def preferences_edit(request: HttpRequest) -> HttpResponseBase:
    """GET shows the form with the current preferences; POST stores them (a bad value is shown with the reason)."""
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            preferences_save(request=request, values=form.cleaned_data)
            messages.success(request, f"Saved. Times now show in {form.cleaned_data['time_zone']}.")
            return redirect(_back(request, reverse("core:preferences")))
        status = 400
    else:
        form = PreferenceForm(initial=request_preferences(request))
        status = 200
    return render(request, "core/preferences.html", {"form": form, "next": _back(request, "")}, status=status)


@require_POST
def theme_toggle(request: HttpRequest) -> HttpResponseBase:
    """The top bar's toggle: the theme it posts (the script sends the opposite of what shows), or without script
    dark after light or the system's, light after dark. Remembered for the user."""
    wanted = request.POST.get("theme", "")
    if wanted not in ("light", "dark"):
        wanted = "light" if request_preferences(request)["theme"] == "dark" else "dark"
    preferences_save(request=request, values={"theme": wanted})
    return redirect(_back(request, reverse("inventory:overview")))


@require_POST
def columns_edit(request: HttpRequest) -> HttpResponseBase:
    """A list's Columns menu: save the checked columns for the user, or (`reset`) go back to the list's defaults.
    Nothing checked is refused with the reason and nothing is stored. Back to the list, without any ?columns=."""
    list_name = request.POST.get("list", "")
    table = _list_table(list_name)
    if table is None:
        return HttpResponseBadRequest("No list of that name has columns to choose.")
    back = _without_columns(_back(request, reverse(list_name)))
    if "reset" in request.POST:
        columns_save(request=request, list_name=list_name, columns=None)
        messages.success(request, "Columns: back to this list's defaults.")
        return redirect(back)
    names = [name for name, _ in choosable(table)]
    chosen = [name for name in names if name in request.POST.getlist("columns")]
    if not chosen:
        messages.error(request, "Columns: check at least one column to show. Nothing was saved.")
        return redirect(back)
    columns_save(request=request, list_name=list_name, columns=None if chosen == columns_default(table) else chosen)
    messages.success(request, f"Columns saved: {len(chosen)} of {len(names)} shown on this list.")
    return redirect(back)


def _list_table(list_name: str) -> Any:
    """An empty table of the list named `list_name` (a URL name), or None if that is no list."""
    try:
        view = resolve(reverse(list_name)).func
    except (NoReverseMatch, Resolver404):
        return None
    view_class = getattr(view, "view_class", None)
    if not (isinstance(view_class, type) and issubclass(view_class, ResourceListView)):
        return None
    return view_class.table_class([])


def _without_columns(url: str) -> str:
    """`url` without ?columns=, so the list shows the stored choice."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != PARAM]
    return urlunsplit(parts._replace(query=urlencode(query)))
