"""Read side of actions."""

from __future__ import annotations

from django.db.models import QuerySet

from fleetui.core.selectors import Selector

from .filters import ActionFilterSet
from .models import Action

# Newest first, with who and where joined.
action_list = Selector(ActionFilterSet, lambda: Action.objects.select_related("account", "requested_by"))


def actions_unfinished() -> QuerySet[Action]:
    """Pending and running actions (for the indicator on every page)."""
    return Action.objects.filter(status__in=[Action.Status.PENDING, Action.Status.RUNNING]).select_related(
        "requested_by"
    )
