"""Action kinds. Each kind is an `Operation` subclass registered with `@operation`.

An operation declares who may run it, what it targets, the form that validates its parameters (the
same form for the page and the API), and `run(ctx)`: resumable steps, each of which reads the current
AWS state first, so a redelivered action continues instead of repeating.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django import forms
from django.db import models

from fleetui.actions.results import outcome_counts
from fleetui.core.roles import Role
from fleetui.inventory.sync import spec_get

if TYPE_CHECKING:
    from fleetui.inventory.models import Account

    from .context import ActionContext
    from .models import Action


class ActionInvalid(Exception):
    """The request is refused before anything runs. `errors` maps a field ("reason", "targets", a parameter,
    or "__all__") to messages, like a form's errors."""

    def __init__(self, errors: dict[str, list[str]] | str, field: str = "__all__", *, busy: bool = False) -> None:
        self.errors = {field: [errors]} if isinstance(errors, str) else errors
        self.busy = busy  # refused because another unfinished action holds a target
        super().__init__(
            "; ".join(f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v) for k, v in self.errors.items())
        )


class ActionFailed(Exception):
    """An operation cannot go on; the message says what happened and what is left where."""


def shown(ids: Sequence[str], limit: int = 10) -> str:
    """A list of ids for a message, cut after `limit`."""
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def known_rows(model: type[models.Model], *, account: Account, region: str, ids: Sequence[str]) -> dict[str, Any]:
    """{key: row} of the live inventory rows of `model` (keyed by model.KEY) in the scope; refuses ids the inventory
    does not hold (typos, other regions, already gone)."""
    key = model.KEY  # type: ignore[attr-defined]
    rows = model._default_manager.filter(
        account=account, region=region, gone_at__isnull=True, **{f"{key}__in": list(ids)}
    )
    found = {getattr(row, key): row for row in rows}
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise ActionInvalid(
            f"Not in the inventory of {account.account_id}/{region}: {shown(unknown)}. Check the ids, or sync first.",
            field="targets",
        )
    return found


@dataclass(frozen=True)
class Confirmation:
    """What a request must carry in `confirm` before it is recorded: `text`, typed exactly, and `why` it is asked."""

    text: str
    why: str

    @property
    def message(self) -> str:
        return f"{self.why}: type {self.text} to confirm."


class NoParams(forms.Form):
    """The form of an operation that takes no parameters."""

    def __init__(self, *args: Any, account: Account | None = None, region: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account, self.region = account, region


class Operation:
    kind: ClassVar[str]
    label: ClassVar[str]
    role: ClassVar[Role] = Role.OPERATOR
    # Admin only, and with more than one target a typed confirmation of the count (see `confirmation`).
    destructive: ClassVar[bool] = False
    # The inventory resource type of the targets (a type some service's `sync.SYNCS` declares), or "" for none.
    target_type: ClassVar[str] = ""
    min_targets: ClassVar[int] = 1
    max_targets: ClassVar[int] = 1000
    form_class: ClassVar[type[NoParams]] = NoParams
    # Run in the web request instead of a worker: only for quick calls whose answer must never be stored
    # (a created key pair's private key is shown once and never written anywhere).
    inline: ClassVar[bool] = False
    verb: ClassVar[str] = ""  # the button's word, e.g. "Stop"
    # Shows the result on the action's page, given `result`, `rows` ({id: inventory row}) and `action`; the default
    # shows fleetui.actions.results.result_sections (outcomes per target, created ids, values).
    result_template: ClassVar[str] = "actions/_result.html"
    # Lays out the kind's fields on the request page (given `params`, the form, and `op`); "" renders them one row
    # each, in order. A kind with many fields groups them (the launch form's sections and summary).
    form_template: ClassVar[str] = ""

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        """Check the targets against the inventory before anything runs; raise ActionInvalid to refuse.

        By default every target must be a live row of `target_type` in the scope (no typos, no other region,
        nothing already gone); kinds add their own rules (valid states, emptiness) on top.
        """
        if targets and self.target_type:
            known_rows(spec_get(self.target_type).model, account=account, region=region, ids=targets)
        return targets

    def confirmation(
        self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]
    ) -> Confirmation | None:
        """The text the requester must type before the action is recorded, or None. Asked once the targets and
        parameters are valid, so a kind can ask only when a mistake would cost something (a scale to zero of what
        runs work). By default a destructive action on more than one target asks for their count."""
        if self.destructive and len(targets) > 1:
            return Confirmation(str(len(targets)), f"This {self.label.lower()} affects {len(targets)} resources")
        return None

    def required_role(self, params: dict[str, Any]) -> Role:
        """The role this request needs, given its cleaned parameters (an override can ask for more than `role`)."""
        return self.role

    def form_notice(
        self, *, account: Account | None, region: str, targets: list[str], params: dict[str, Any]
    ) -> dict[str, Any] | None:
        """What the request page shows above the parameters before the user confirms ({"template": ..., ...}
        rendered with `notice`), or None. A swap shows its pre-flight checklist and exactly what will move."""
        return None

    def lock_keys(self, action: Action) -> list[str]:
        """The resources no other unfinished action may work on while this one runs."""
        return list(action.targets)

    def touched(self, action: Action) -> dict[str, list[str]]:
        """{resource type: ids} to re-sync when the action ends, so the inventory shows the result."""
        return {self.target_type: list(action.targets)} if self.target_type and action.targets else {}

    def describe(self, action: Action) -> str:
        """One line for the activity log, e.g. "Stop 3 instances"."""
        count = len(action.targets)
        return f"{self.label} ({count} target{'s' if count != 1 else ''})" if count else self.label

    def summary(self, action: Action, rows: dict[str, Any]) -> str:
        """One line for Activity and its CSV: the error, else what came of each target ("2 stopped, 1 already
        stopped"), else "". `rows` names the targets ({id: inventory row}) for kinds that say more."""
        if action.error:
            return action.error
        # Outcomes keyed by id: "instances" (a launch keys it by the new ids), else a dict keyed by the targets.
        targets = set(action.targets)
        keyed = [v for v in action.result.values() if isinstance(v, dict) and v and set(v) <= targets]
        per_target = action.result.get("instances") or (keyed[0] if keyed else None)
        return outcome_counts(per_target) if isinstance(per_target, dict) else ""

    def run(self, ctx: ActionContext) -> None:
        raise NotImplementedError


OPERATIONS: dict[str, Operation] = {}
OperationClass = TypeVar("OperationClass", bound=type[Operation])


def operation(cls: OperationClass) -> OperationClass:
    """Register an Operation subclass under its `kind`."""
    assert cls.kind not in OPERATIONS, f"{cls.kind} is registered twice"
    OPERATIONS[cls.kind] = cls()
    return cls


def operation_get(kind: str) -> Operation:
    try:
        return OPERATIONS[kind]
    except KeyError:
        known = ", ".join(sorted(OPERATIONS))
        raise ActionInvalid(f"Unknown action kind {kind!r}. Known kinds: {known}.", field="kind") from None


def operations_for(target_type: str) -> Sequence[Operation]:
    return [op for op in OPERATIONS.values() if op.target_type == target_type]
