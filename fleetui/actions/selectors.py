"""Read side of actions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from fleetui.core.selectors import filtered

from .filters import ActionFilterSet
from .models import Action


def action_list(*, filters: Mapping[str, Any]) -> tuple[ActionFilterSet, QuerySet[Action]]:
    """Actions matching `filters` (ActionFilterSet's parameters), newest first, with who and where joined."""
    queryset = Action.objects.select_related("account", "requested_by")
    return filtered(ActionFilterSet, queryset, filters)


def actions_unfinished() -> QuerySet[Action]:
    """Pending and running actions (for the indicator on every page)."""
    return Action.objects.filter(status__in=[Action.Status.PENDING, Action.Status.RUNNING]).select_related(
        "requested_by"
    )
