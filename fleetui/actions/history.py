"""The action engine's answer to "who made this change?" for the inventory history (fleetui.inventory.history).

A change observed at `at` in (resource type, account, region, id) was made by an action when the action touched
that resource (its operation's `touched()`: what its re-sync refreshes) and was running at `at`. An action runs its
re-sync before it finishes, so a change its own re-sync records always matches; so does one a periodic sync on
another worker happens to observe first while the action runs. Everything is read from the database, so it holds
with any number of workers syncing and acting at once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from django.urls import reverse

from fleetui.inventory.history.attribution import ActionSummary, Attributed

from .models import Action
from .registry import OPERATIONS


class ActionAttribution:
    def match(
        self, *, resource_type: str, account_id: int | None, region: str, ids: Collection[str], at: datetime
    ) -> Mapping[str, Attributed]:
        running = (
            Action.objects.filter(account=account_id, region=region, status=Action.Status.RUNNING, started_at__lte=at)
            .select_related("requested_by")
            .order_by("started_at", "pk")
        )
        wanted = {str(i) for i in ids}
        found: dict[str, Attributed] = {}
        for action in running:
            op = OPERATIONS.get(action.kind)
            if op is None:
                continue
            # The latest-started action on a resource wins (locks keep two from running on one at once).
            for touched in wanted.intersection(map(str, op.touched(action).get(resource_type, []))):
                found[touched] = Attributed(action_id=action.pk, actor=action.requested_by.get_username())
        return found

    def describe(self, action_ids: Collection[int]) -> Mapping[int, ActionSummary]:
        return {
            action.pk: ActionSummary(
                label=f"#{action.pk} {OPERATIONS[action.kind].label if action.kind in OPERATIONS else action.kind}",
                reason=action.reason,
                url=reverse("actions:detail", args=[action.pk]),
            )
            for action in Action.objects.filter(pk__in=list(action_ids))
        }
