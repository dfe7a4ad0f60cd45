"""The values a choice filter offers: those present in the inventory, read with one cheap query per field.

A filter names a column (`state`, `region`, `instance_type_id`) or a foreign key's column (`account__account_id`,
labelled by `account__name`). Its values are the DISTINCT values of the list's live rows (`gone_at` unset). On an
indexed column the DISTINCT is a loose index scan (a recursive query that asks the index for the next value above
the last one), so it costs one index probe per distinct value rather than a pass over 100,000 rows; a column
without an index falls back to a plain `SELECT DISTINCT`, which is cheap on the small tables that have them.

The widgets render those values lazily, when the filter bar is drawn: the htmx fragment, the CSV export and the API
never run these queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django import forms
from django.db import connection
from django.db.models import Field, Model
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

Choices = list[tuple[str, str]]
# More values than this are not offered (the search box still takes any value typed).
MAX_CHOICES = 1000


def _indexed(model: type[Model], field: Field) -> bool:
    """Whether an index leads with `field`'s column (its own db_index, a foreign key's, or Meta's indexes)."""
    if field.primary_key or field.unique or getattr(field, "db_index", False):
        return True
    leading = [index.fields[0] for index in model._meta.indexes if index.fields]
    leading += [c.fields[0] for c in model._meta.constraints if getattr(c, "fields", None)]  # type: ignore[attr-defined]
    return field.name in {name.lstrip("-") for name in leading}


def _live_sql(model: type[Model]) -> str:
    names = {f.name for f in model._meta.concrete_fields}
    return f"{connection.ops.quote_name('gone_at')} IS NULL" if "gone_at" in names else "1 = 1"


def distinct_column(model: type[Model], field: Field, *, limit: int = MAX_CHOICES) -> str:
    """SQL selecting the distinct non-null values of `field`'s column over `model`'s live rows (see the module)."""
    # Only quoted names from the model's own meta and an int go into the text: no user input.
    table, column = (connection.ops.quote_name(name) for name in (model._meta.db_table, str(field.column)))
    live = _live_sql(model)
    if not _indexed(model, field):
        return f"SELECT DISTINCT {column} AS v FROM {table} WHERE {live} AND {column} IS NOT NULL LIMIT {int(limit)}"  # noqa: S608
    # MIN() rather than ORDER BY ... LIMIT 1: SQLite takes no parenthesised arm in a compound SELECT, and both
    # databases answer MIN() of an indexed column from the index.
    first = f"SELECT MIN({column}) FROM {table} WHERE {live}"  # noqa: S608
    following = f"SELECT MIN({column}) FROM {table} WHERE {live} AND {column} > seen.v"  # noqa: S608
    seen = f"{first} UNION ALL SELECT ({following}) FROM seen WHERE seen.v IS NOT NULL"  # noqa: S608
    return f"WITH RECURSIVE seen(v) AS ({seen}) SELECT v FROM seen WHERE v IS NOT NULL LIMIT {int(limit)}"  # noqa: S608


def _split(model: type[Model], field_name: str) -> tuple[Field, str]:
    """(the model's own field, the rest of the path inside a foreign key's model or "")."""
    head, _, rest = field_name.partition("__")
    return model._meta.get_field(head), rest  # type: ignore[return-value]


def _arm(model: type[Model], number: int, field_name: str, label_field: str) -> str:
    """One field's part of `present_choices_many`'s query: (number, value, label) as text."""
    field, rest = _split(model, field_name)
    values = distinct_column(model, field)
    if not rest:
        return f"SELECT {number}, CAST(v AS TEXT), NULL FROM ({values}) AS d{number}"  # noqa: S608
    # account__account_id: the distinct keys, then the related rows' value and label.
    related = field.related_model._meta  # type: ignore[union-attr]
    quote = connection.ops.quote_name
    value_column = quote(str(related.get_field(rest).column))  # type: ignore[union-attr]
    label_column = quote(str(related.get_field(label_field.partition("__")[2] or rest).column))  # type: ignore[union-attr]
    table, key = quote(related.db_table), quote(str(related.pk.column))  # type: ignore[union-attr]
    return (
        f"SELECT {number}, CAST({value_column} AS TEXT), CAST({label_column} AS TEXT) FROM {table} "  # noqa: S608
        f"WHERE {key} IN ({values})"
    )


def present_choices_many(model: type[Model], fields: Sequence[tuple[str, str, dict[str, str]]]) -> list[Choices]:
    """For each (field_name, label_field, labels), the (value, label) of every value the field has on `model`'s live
    rows, sorted by label; all of them in one query (a UNION ALL of one loose index scan or DISTINCT per field), so a
    list's filter bar costs one round trip however many choice filters it has."""
    if not fields:
        return []
    sql = " UNION ALL ".join(
        _arm(model, number, name, label_field) for number, (name, label_field, _) in enumerate(fields)
    )
    found: list[dict[str, str]] = [{} for _ in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        for number, value, label in cursor.fetchall():
            labels = fields[number][2]
            if value not in ("", None):
                found[number][value] = label or labels.get(value) or value
    return [sorted(choices.items(), key=lambda item: (item[1].lower(), item[0])) for choices in found]


def present_choices(model: type[Model], field_name: str, *, label_field: str = "", labels: dict[str, str]) -> Choices:
    """(value, label) of every value `field_name` has on `model`'s live rows, sorted by label: one query."""
    return present_choices_many(model, [(field_name, label_field, labels)])[0]


def known_values(model: type[Model], field_name: str, values: Sequence[str]) -> set[str]:
    """Those of `values` the inventory has ever held in `field_name` (live or gone rows; for a foreign key, any row of
    its model), so a bookmark of a value that is gone today still works; one small query per value."""
    field, rest = _split(model, field_name)
    if rest:
        related = field.related_model._default_manager  # type: ignore[union-attr]
        return {str(v) for v in related.filter(**{f"{rest}__in": values}).values_list(rest, flat=True)}
    manager = model._default_manager
    return {value for value in values if manager.filter(**{field_name: value}).exists()}


def choice_label(value: str, label: str) -> str:
    """How an error lists a valid value: `prod (111111111111)` where the label is not the value itself."""
    return value if label == value else f"{label} ({value})"


def values_of(value: Any) -> list[str]:
    """The values of a comma-separated filter (or of a list of them)."""
    items = value if isinstance(value, list | tuple) else [value]
    return [v.strip() for item in items if item for v in str(item).split(",") if v.strip()]


class InventoryChoicesWidget(forms.Widget):
    """Base of the choice widgets: `source()` gives the values present, read only when the widget is drawn.

    Several values arrive as repeated parameters (`?state=running&state=stopped`, what a form of checkboxes sends)
    or comma-separated (`?state=running,stopped`, what bookmarks, the API and the pushed URL use); `joined` widgets
    hand the field one comma-separated string either way, so the filter's URL format does not change."""

    grouped = False

    def __init__(
        self,
        source: Callable[[], Choices] | None = None,
        *,
        choices: Iterable[tuple[Any, Any]] = (),
        joined: bool = True,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.source = source
        self.choices = [(str(v), str(label)) for v, label in choices if v not in ("", None)]
        self.joined = joined

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        if self.joined:
            return ",".join(values_of(values)) if name in data else None
        return values_of(values)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

    def options(self, value: Any) -> tuple[Choices, list[str], set[str]]:
        """(every value to offer, the selected ones, the values present): the values present, then any selected value
        that no longer is, so a bookmark's filter still shows what it selects."""
        selected = values_of(value)
        present = self.source() if self.source is not None else list(self.choices)
        offered = dict(present)
        fixed = dict(self.choices)
        for item in selected:
            offered.setdefault(item, fixed.get(item, item))
        return list(offered.items()), selected, {v for v, _label in present}


class ChoiceMenu(InventoryChoicesWidget):
    """A multi-select: a dropdown (`<details>`) of one checkbox per value, its summary naming what is selected. It works
    without JavaScript (the checkboxes are plain form fields); static/fleetui/fleetui.js closes it on a click elsewhere
    and keeps the summary in step."""

    grouped = True

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        offered, selected, present = self.options(value)
        element_id = (attrs or {}).get("id") or f"id_{name}"
        boxes = format_html_join(
            "",
            '<label class="choice"><input type="checkbox" name="{}" value="{}"{}> <span>{}</span>{}</label>',
            (
                (
                    name,
                    v,
                    SafeString(" checked") if v in selected else "",
                    label,
                    SafeString(' <small class="muted">none now</small>') if v not in present else "",
                )
                for v, label in offered
            ),
        )
        summary = ", ".join(label for v, label in offered if v in selected) or "Any"
        empty = format_html('<p class="muted choice-empty">{}</p>', "None in the inventory") if not offered else ""
        return format_html(
            '<details class="choice-menu" data-choice-menu data-joined="{}"><summary id="{}" class="choice-summary">'
            '<span>{}</span></summary><div class="choice-panel" role="group" aria-labelledby="{}-label">{}{}</div>'
            "</details>",
            "true" if self.joined else "false",
            element_id,
            summary,
            element_id,
            boxes,
            empty,
        )


class ChoiceSearch(InventoryChoicesWidget):
    """Search as you type, for a filter with many values (instance types): a text box whose browser-drawn suggestions
    (`<datalist>`) are the values present. Any value can still be typed, comma-separated for several."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        offered, selected, _present = self.options(value)
        element_id = (attrs or {}).get("id") or f"id_{name}"
        options = format_html_join("", '<option value="{}" label="{}"></option>', offered)
        return format_html(
            '<input type="text" name="{}" id="{}" value="{}" list="{}-values" autocomplete="off" placeholder="Any">'
            '<datalist id="{}-values">{}</datalist>',
            name,
            element_id,
            ",".join(selected),
            element_id,
            element_id,
            options,
        )
