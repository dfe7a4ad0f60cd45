"""System checks: settings that would break the exactly-once promise of actions, and kinds whose targets no service
syncs."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

from fleetui.inventory.sync import RESOURCE_TYPES

from .registry import OPERATIONS


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


@register()
def operations_target_synced_types(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Every kind's `target_type` must be a resource type some service's `sync.SYNCS` declares: the engine checks
    targets against that type's inventory, locks them by its key and re-syncs them by id when the action ends."""
    return [
        Error(
            f"Action kind {op.kind} targets {op.target_type!r}, which no service's sync declares.",
            hint=f"Use one of: {', '.join(RESOURCE_TYPES)}.",
            obj=type(op),
            id="fleetui.A001",
        )
        for op in OPERATIONS.values()
        if op.target_type and op.target_type not in RESOURCE_TYPES
    ]
