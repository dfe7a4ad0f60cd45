"""System checks for settings that would break the exactly-once promise of actions."""

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register()
def visibility_timeout_outlasts_actions(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Redis hands an unacknowledged task to another worker after `visibility_timeout`: if that is shorter than an
    action may run, a live action is delivered twice (the claim keeps it safe, but it waits and retries)."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    timeout = options.get("visibility_timeout")
    longest = settings.FLEETUI_ACTION_TIME_LIMIT + 60
    if timeout is not None and timeout <= longest:
        return [
            Warning(
                f"The broker's visibility_timeout ({timeout} s) is not longer than an action may run ({longest} s).",
                hint="Raise FLEETUI_VISIBILITY_TIMEOUT or lower FLEETUI_ACTION_TIME_LIMIT.",
                id="fleetui.W001",
            )
        ]
    return []
