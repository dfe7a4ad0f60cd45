"""A user's display preferences: their time zone (UTC by default), relative or exact times, and the colour theme.

They are stored per user (fleetui.core.models.Preference) and copied into the session at login, so a page reads them
without a query; PreferencesMiddleware activates the time zone for the request, which every page, the CSV export
(fleetui.core.csvexport) and fleetui.core.humanize then use.
"""

import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from .humanize import TIMES
from .models import Preference

SESSION_KEY = "fleetui_preferences"
DEFAULTS = {"time_zone": "UTC", "times": "relative", "theme": "auto"}
FIELDS = tuple(DEFAULTS)


@cache
def time_zone_names() -> list[str]:
    """Every IANA zone, UTC first."""
    return ["UTC", *sorted(name for name in zoneinfo.available_timezones() if name != "UTC")]


def preferences_of(user: Any) -> dict[str, str]:
    """The user's stored preferences, or the defaults."""
    stored = Preference.objects.filter(user=user).values(*FIELDS).first()
    return {**DEFAULTS, **(stored or {})}


def preferences_save(*, request: HttpRequest, values: dict[str, str]) -> dict[str, str]:
    """Store the user's preferences and apply them to this session at once (other sessions at their next login)."""
    user_id = request.user.pk
    assert user_id is not None  # the pages need a login (fleetui.core.middleware.RoleRequiredMiddleware)
    Preference.objects.update_or_create(user_id=user_id, defaults=values)
    preferences = {**request_preferences(request), **values}
    request.session[SESSION_KEY] = preferences
    return preferences


def request_preferences(request: HttpRequest) -> dict[str, str]:
    """The signed-in user's preferences from the session (read from the database once per session), or the defaults."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return dict(DEFAULTS)
    preferences = request.session.get(SESSION_KEY)
    if preferences is None:  # a session from before preferences existed
        preferences = request.session[SESSION_KEY] = preferences_of(user)
    return preferences


@receiver(user_logged_in)
def _preferences_load_at_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = preferences_of(user)


@contextmanager
def preferences_active(preferences: dict[str, str]) -> Iterator[None]:
    """The time zone and time display of `preferences` for the duration (an unknown zone falls back to UTC)."""
    try:
        zone = zoneinfo.ZoneInfo(preferences.get("time_zone") or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    token = TIMES.set(preferences.get("times") or DEFAULTS["times"])
    timezone.activate(zone)
    try:
        yield
    finally:
        timezone.deactivate()
        TIMES.reset(token)


class PreferencesMiddleware:
    """Applies the signed-in user's time zone and time display to the request (after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        preferences = request_preferences(request)
        request.preferences = preferences  # type: ignore[attr-defined]
        with preferences_active(preferences):
            return self.get_response(request)
