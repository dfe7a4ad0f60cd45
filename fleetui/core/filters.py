"""The filters every service's FilterSets build on: the page, the CSV export and the API filter through the
same classes.

An invalid value makes the FilterSet's form invalid; pages show the form's errors and the API answers 400
(`FilterBackend`, below), never a 500.
"""

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import django_filters as df
from django import forms
from django.db.models import Q, QuerySet, TextField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from .choices import (
    ChoiceMenu,
    Choices,
    ChoiceSearch,
    choice_label,
    known_values,
    present_choices,
    present_choices_many,
    values_of,
)


class CSVChoicesField(forms.CharField):
    """A comma-separated list; with `choices`, every value must be one of them (a bad one is a form error, a 400,
    that lists the valid values)."""

    def __init__(self, *args: Any, choices: Any = None, **kwargs: Any) -> None:
        self.valid = [value for value, _label in choices] if choices is not None else None
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> str:
        cleaned = str(super().clean(value) or "")
        if self.valid is not None:
            bad = [v.strip() for v in cleaned.split(",") if v.strip() and v.strip() not in self.valid]
            if bad:
                raise forms.ValidationError(f"Not a valid choice: {', '.join(bad)}. Valid: {', '.join(self.valid)}.")
        return cleaned


class CSVChoiceFilter(df.CharFilter):
    """Matches any of a comma-separated list: `?state=running,stopped`; given `choices`, only those values."""

    field_class = CSVChoicesField

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        values = [v.strip() for v in (value or "").split(",") if v.strip()]
        if not values:
            return qs
        return qs.filter(**{f"{self.field_name}__in": values})


class InventoryChoicesField(CSVChoicesField):
    """A CSVChoicesField that, without a fixed set of `choices`, refuses a value the inventory never held (`known`),
    listing the values it holds now (`present`)."""

    known: Callable[[list[str]], set[str]] | None = None
    present: Callable[[], Choices] | None = None

    def clean(self, value: Any) -> str:
        cleaned = super().clean(value)
        values = values_of(cleaned)
        if self.valid is None and self.known is not None and values:
            known = self.known(values)
            unknown = [v for v in values if v not in known]
            if unknown:
                valid = ", ".join(choice_label(v, label) for v, label in (self.present() if self.present else []))
                raise forms.ValidationError(f"Not a valid choice: {', '.join(unknown)}. Valid: {valid or 'none yet'}.")
        return cleaned


class InventoryChoiceFilter(CSVChoiceFilter):
    """A choice filter whose select offers the values present in the list's live rows (fleetui.core.choices): a
    FilterSet declares `state = InventoryChoiceFilter(field_name="state")` and the page gets a multi-select of the
    states its rows have, the URL keeps `?state=running,stopped`, and the API and CSV filter alike.

    - `choices=`: the values AWS defines, which validate and label (a value outside them is refused); without
      them a value the inventory never held is refused, naming the valid ones.
    - `label_field=`: a foreign key's label (`account__account_id` labelled by `account__name`).
    - `search=True`: a search-as-you-type box rather than a menu, for fields with many values (instance types).
    """

    field_class = InventoryChoicesField

    def __init__(
        self,
        *args: Any,
        label_field: str = "",
        search: bool = False,
        accept: Callable[[str], bool] | None = None,
        **kwargs: Any,
    ) -> None:
        self.label_field, self.search, self.accept = label_field, search, accept
        super().__init__(*args, **kwargs)

    def labels(self) -> dict[str, str]:
        return {str(v): str(label) for v, label in self.extra.get("choices") or []}

    def present(self) -> Choices:
        """The values present; the first filter of a FilterSet asked reads every one of its choice filters' values in
        one query, kept on the FilterSet for the others."""
        parent = getattr(self, "parent", None)
        if parent is None:
            return present_choices(self.model, self.field_name, label_field=self.label_field, labels=self.labels())
        if "_inventory_choices" not in parent.__dict__:
            mine = [f for f in parent.filters.values() if isinstance(f, InventoryChoiceFilter)]
            fields = [(f.field_name, f.label_field, f.labels()) for f in mine]
            found = present_choices_many(self.model, fields)
            parent._inventory_choices = {id(f): choices for f, choices in zip(mine, found, strict=True)}
        return parent._inventory_choices[id(self)]

    def known(self, values: list[str]) -> set[str]:
        accepted = {value for value in values if self.accept is not None and self.accept(value)}
        return accepted | known_values(self.model, self.field_name, [v for v in values if v not in accepted])

    @property
    def field(self) -> forms.Field:
        # A FilterSet deep-copies its class's filters, and with them a field already built (the API's schema builds
        # them on the class): the widget would read the class's filter, which has no model. Build it again.
        if getattr(self, "_field_for", None) != id(self):
            self.__dict__.pop("_field", None)
            self._field_for = id(self)
            field = super().field
            widget_class = ChoiceSearch if self.search else ChoiceMenu
            field.widget = widget_class(self.present, choices=self.extra.get("choices") or ())
            field.present = self.present  # type: ignore[attr-defined]
            # A past moment (`?as_of=`) may filter by a value only the history holds: not refused.
            as_of = getattr(getattr(self, "parent", None), "data", {}).get("as_of")
            field.known = None if as_of else self.known  # type: ignore[attr-defined]
        return self._field


class FilterSet(df.FilterSet):
    """django-filter's FilterSet, whose fixed-choice filters name the valid values when one is refused (a page's
    error and the API's 400 alike), as the comma-separated ones do."""

    @property
    def form(self) -> forms.Form:
        if not hasattr(self, "_form"):
            for field in super().form.fields.values():
                if isinstance(field, forms.ChoiceField):
                    valid = ", ".join(str(v) for v, _label in field.choices if v not in ("", None))  # type: ignore[misc,union-attr]
                    message = f"Not a valid choice: %(value)s. Valid: {valid.replace('%', '%%')}."
                    field.error_messages["invalid_choice"] = message
        return self._form


class StrictBooleanWidget(df.widgets.BooleanWidget):
    """Like django-filter's widget, but an unrecognised value reaches the field instead of meaning "any"."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        raw = data.get(name)
        value = super().value_from_datadict(data, files, name)
        return raw if value is None and raw not in (None, "") else value


class StrictBooleanField(forms.NullBooleanField):
    widget = StrictBooleanWidget

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        raise forms.ValidationError(f"Use true or false, not {value!r}.")

    def validate(self, value: Any) -> None:
        """Any of True, False or None is valid; to_python already refused the rest."""


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(df.BooleanFilter):
    """`?flag=true|false|1|0`; anything else is a form error (a 400 in the API), not a silently ignored filter."""

    field_class = StrictBooleanField


class TagField(forms.CharField):
    def clean(self, value: Any) -> tuple[str, str] | None:
        value = super().clean(value)
        if not value:
            return None
        key, sep, tag_value = value.partition("=")
        if not sep or not key.strip():
            raise forms.ValidationError("Write a tag filter as Key=Value, for example Env=prod.")
        return key.strip(), tag_value.strip()


# It filters inside the JSON tags column, so the schema generator cannot infer a type: say it is a string.
@extend_schema_field(OpenApiTypes.STR)
class TagFilter(df.Filter):
    """`?tag=Env=prod`: the tag Key has exactly Value. Works on PostgreSQL and SQLite alike."""

    field_class = TagField

    def filter(self, qs: QuerySet, value: tuple[str, str] | None) -> QuerySet:
        if not value:
            return qs
        key, tag_value = value
        # The Cast makes it a plain text comparison: without it Django's KeyTransformExact wraps the value in
        # JSON_EXTRACT on SQLite, which fails with "malformed JSON" for any value that is not itself JSON.
        return qs.alias(_tag=Cast(KeyTextTransform(key, "tags"), output_field=TextField())).filter(_tag=tag_value)


class TimeField(IsoDateTimeField):
    """django-filter's ISO 8601 time, in UTC: PostgreSQL takes offsets up to 15:59 only, ISO 8601 up to 23:59, and a
    query with `+18:46` was a 500."""

    def to_python(self, value: Any) -> datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError("This time is out of range once in UTC.") from None


class TimeFilter(df.IsoDateTimeFilter):
    """`?since=2026-11-27T14:00:00Z`: an ISO 8601 time (`Z` or an offset), compared in UTC."""

    field_class = TimeField


# Any AWS region name (`eu-west-1`, `us-gov-west-1`, `cn-north-1`), though this list has no rows there: a script asking
# every region of every list gets an empty list, not a 400. A made-up one (`zz-fake-9`) is refused.
AWS_REGION = re.compile(r"^(us|eu|ap|sa|ca|me|af|il|mx|cn)(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")


def aws_region(value: str) -> bool:
    return bool(AWS_REGION.match(value))


class ResourceFilterSet(FilterSet):
    """Filters every synced resource has. Rows a sync no longer saw are hidden unless `?gone=true`. Account (by name,
    the value its id) and region offer the values the list's rows have."""

    account = InventoryChoiceFilter(field_name="account__account_id", label_field="account__name", label="Account")
    region = InventoryChoiceFilter(field_name="region", label="Region", accept=aws_region)
    tag = TagFilter(label="Tag (Key=Value)")
    gone = StrictBooleanFilter(method="filter_gone", label="Gone")

    def filter_gone(self, qs: QuerySet, name: str, value: bool | None) -> QuerySet:
        return qs.filter(gone_at__isnull=not value)

    @property
    def qs(self) -> QuerySet:
        qs = super().qs
        if self.form.cleaned_data.get("gone") is None:
            qs = qs.filter(gone_at__isnull=True)
        return qs


def words_match(qs: QuerySet, value: str, *fields: str, exact: tuple[str, ...] = ()) -> QuerySet:
    """A list's `?q=`: every word of `value` in one of `fields` (icontains) or equal to one of `exact` (iexact, for
    ids), so "orders prod" finds rows that mention both."""
    for word in value.split():
        found = Q(pk=None)
        for field in fields:
            found |= Q(**{f"{field}__icontains": word})
        for field in exact:
            found |= Q(**{f"{field}__iexact": word})
        qs = qs.filter(found)
    return qs


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, answering a refused filter with the messages as the FilterSet's form wrote them.

    django-filter's own translation formats every message with `%` once more, so a message that quotes the value sent
    (`Not a valid choice: 100%`) raised TypeError: a 500 instead of the 400 that names the field.
    """

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError({name: list(messages) for name, messages in filterset.errors.items()})
        return filterset.qs
