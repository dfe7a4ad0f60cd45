"""Who made a change: the action engine answers, the sync engine asks.

The sync engine sits below the action engine (import-linter's layers), so it cannot read actions itself. The action
engine registers an `Attribution` when Django starts (fleetui.actions.apps); the recorder calls `match` inside the
transaction that writes the change records, and the history pages call `describe` for the actions they show.

Both read only the database, so the answer is the same whichever worker syncs and whichever acts: an action that
touched (resource type, account, region, id) and was running when the change was observed (its re-sync runs
before it finishes) is the one that made it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class Attributed:
    action_id: int
    actor: str  # the requester's username


@dataclass(frozen=True)
class ActionSummary:
    label: str  # "#12 Stop instances": the action and its kind
    reason: str
    url: str


class Attribution(Protocol):
    def match(
        self, *, resource_type: str, account_id: int | None, region: str, ids: Collection[str], at: datetime
    ) -> Mapping[str, Attributed]:
        """{id: the action that made the change observed at `at`} for those of `ids` one made."""
        ...

    def describe(self, action_ids: Collection[int]) -> Mapping[int, ActionSummary]: ...


_REGISTERED: list[Attribution] = []


def attribution_register(attribution: Attribution) -> None:
    """Register the action engine's answer (idempotent: one per process)."""
    _REGISTERED[:] = [attribution]


def attribution_match(
    *, resource_type: str, account_id: int | None, region: str, ids: Collection[str], at: datetime
) -> Mapping[str, Attributed]:
    if not _REGISTERED or not ids or account_id is None:
        return {}
    return _REGISTERED[0].match(resource_type=resource_type, account_id=account_id, region=region, ids=ids, at=at)


def actions_describe(action_ids: Collection[int]) -> Mapping[int, ActionSummary]:
    if not _REGISTERED or not action_ids:
        return {}
    return _REGISTERED[0].describe(action_ids)
