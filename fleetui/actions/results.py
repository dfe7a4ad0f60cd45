"""An action's result and parameters as people read them: outcomes per target, created ids, labelled values.

A kind's result is the dict its steps `note` (fleetui.actions.context). The page shows it through the kind's
`result_template` (a swap's before/after table) or, by default, as `result_sections`; the raw JSON folds away below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fleetui.core.humanize import time_html

if TYPE_CHECKING:
    from .registry import Operation

Scalar = str | int | float | bool


@dataclass
class Section:
    """One part of a result: `values` (title, value) pairs, `outcomes` (id, outcome) rows or `ids` created."""

    kind: str
    title: str = ""
    items: list[Any] = field(default_factory=list)


def title_of(key: str) -> str:
    """ "called_at" -> "Called at"."""
    return key.replace("_", " ").strip().capitalize()


def readable(value: Any) -> Any:
    """A scalar for a page: an ISO time as a <time> element (relative, absolute on hover), booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and len(value) >= 19 and value[4:5] == "-" and "T" in value:
        try:
            return time_html(dt.datetime.fromisoformat(value))
        except ValueError:
            return value
    return value


def result_sections(result: dict[str, Any]) -> list[Section]:
    """The result's readable parts, in its order: plain values first, then each per-target table and id list.
    Nested structures stay in the raw JSON only."""
    values = Section("values")
    sections: list[Section] = []
    for key, value in result.items():
        if isinstance(value, dict) and value and all(isinstance(v, Scalar) for v in value.values()):
            sections.append(Section("outcomes", title_of(key), [(k, readable(v)) for k, v in value.items()]))
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            sections.append(Section("ids", title_of(key), value))
        elif isinstance(value, Scalar) and value != "":
            values.items.append((title_of(key), readable(value)))
    return [values, *sections] if values.items else sections


def parameter_items(op: Operation | None, params: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, value) of the parameters the kind's form asks for, labelled as the form labels them; parameters
    the engine adds itself are left to the Details fold."""
    if op is None:
        return []
    fields = op.form_class.base_fields
    return [
        (str(fields[name].label or title_of(name)), readable(params[name]))
        for name in fields
        if name in params and params[name] not in ("", None, [], {})
    ]


def outcome_counts(per_target: dict[str, Any]) -> str:
    """ "2 stopped, 1 already stopped"."""
    counts: dict[str, int] = {}
    for outcome in per_target.values():
        counts[str(outcome)] = counts.get(str(outcome), 0) + 1
    return ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items(), key=lambda item: -item[1]))
