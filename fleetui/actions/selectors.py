"""Read side of actions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from fleetui.core.selectors import Selector
from fleetui.inventory.sync import rows_by_key

from .filters import ActionFilterSet
from .models import Action
from .registry import OPERATIONS, Operation

MAX_ID = 2048  # the longest string taken for an id (an ARN is at most 2048 characters)
MAX_NAMED = 2000  # the most ids one page looks up

# Newest first, with who and where joined.
action_list = Selector(ActionFilterSet, lambda: Action.objects.select_related("account", "requested_by"))


def actions_unfinished() -> QuerySet[Action]:
    """Pending and running actions (for the indicator on every page)."""
    return Action.objects.filter(status__in=[Action.Status.PENDING, Action.Status.RUNNING]).select_related(
        "requested_by"
    )


def strings_in(value: Any) -> set[str]:
    """Every string in a JSON value, dict keys included: the ids an action's parameters and result name."""
    if isinstance(value, str):
        return {value} if len(value) <= MAX_ID else set()
    if isinstance(value, dict):
        return {k for k in value if isinstance(k, str) and len(k) <= MAX_ID} | strings_in(list(value.values()))
    if isinstance(value, list | tuple):
        return set().union(*(strings_in(item) for item in value)) if value else set()
    return set()


def action_rows(action: Action, op: Operation | None) -> dict[str, Any]:
    """{id: inventory row} for every id the action names (its targets, parameters and result: a launch's new
    instances, a swap's partner) among the resource types it works on, so its page shows names, linked."""
    if op is None:
        return {}
    types = {op.target_type, *op.touched(action)} - {""}
    candidates = sorted(set(action.targets) | strings_in(action.params) | strings_in(action.result))[:MAX_NAMED]
    found: dict[str, Any] = {}
    for resource_type in sorted(types):
        found.update(rows_by_key(resource_type, account=action.account, region=action.region, keys=candidates))
    return found


def target_rows(actions: Iterable[Action]) -> dict[int, dict[str, Any]]:
    """{action pk: {target id: inventory row}} for a page of Activity: one query per kind of target and scope."""
    scopes: dict[tuple[str, int, str], list[Action]] = defaultdict(list)
    for action in actions:
        op = OPERATIONS.get(action.kind)
        if op is not None and op.target_type and action.targets:
            scopes[(op.target_type, action.account_id, action.region)].append(action)
    named: dict[int, dict[str, Any]] = {}
    for (resource_type, _, region), members in scopes.items():
        keys = sorted({target for action in members for target in action.targets})[:MAX_NAMED]
        rows = rows_by_key(resource_type, account=members[0].account, region=region, keys=keys)
        for action in members:
            named[action.pk] = {target: rows[target] for target in action.targets if target in rows}
    return named
