"""The OpenAPI schema's house rules, applied to every operation (REST_FRAMEWORK's DEFAULT_SCHEMA_CLASS).

drf-spectacular documents the success answer and a bare type per filter. `AutoSchema` adds, from what each view
declares (its authentication, permissions, path, filters, request body), the error answers it really gives, with
their bodies:

- 400 where the operation takes filters or a body: `{"<field>": ["message", ...]}`, the field named as the request
  names it (a filter, `as_of`, a body field, `__all__`); a body that is not JSON gives `{"detail": "..."}`.
- 401 without credentials or with an unknown token (`WWW-Authenticate: Token`), 403 for a role too low, 404 for an
  unknown object: `{"detail": "..."}`.
- 409 where the view declares it in `conflict_responses = {"<action>": "when"}` (an action's target busy with another
  one): `{"detail": "...", "<field>": [...]}`.

and describes each filter's format in its parameter: comma lists (with their valid values when the set is fixed),
repeated parameters, `tag=Key=Value`, ISO times, "at least"/"at most" numbers, true/false, and the sort fields.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import django_filters as df
from django.db import connection
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.filters import OrderingFilter
from rest_framework.permissions import AllowAny

from .filters import CSVChoiceFilter, StrictBooleanFilter, TagFilter

MESSAGES = {"type": "array", "items": {"type": "string"}}
ERROR_SCHEMAS: dict[str, dict[str, Any]] = {
    "Error": {
        "type": "object",
        "description": "What went wrong, in one sentence.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "ValidationError": {
        "type": "object",
        "description": (
            "Each refused field, as the request names it (a filter, `as_of`, a body field; `__all__` for the request "
            "as a whole), with its messages; a list field's messages are keyed by the item's index. A body that is not "
            "JSON answers `detail` instead."
        ),
        "properties": {"detail": {"type": "string"}},
        "additionalProperties": {"oneOf": [MESSAGES, {"type": "object", "additionalProperties": MESSAGES}]},
        "minProperties": 1,
    },
    "Conflict": {
        "type": "object",
        "description": "Why the request conflicts with the current state (`detail`), and the fields concerned.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
        "additionalProperties": MESSAGES,
    },
}
DESCRIPTIONS = {
    "400": "Refused input: nothing was recorded. The body names each bad field and says what is allowed.",
    "401": (
        "No credentials, or an unknown token. Send `Authorization: Token <key>` (`manage.py api_token`) or a signed-in "
        "session cookie."
    ),
    "403": "Signed in, but the user's role is too low for this (viewer < operator < admin).",
    "404": "No such object, or no such path.",
}
TIME_HELP = "An ISO 8601 time with `Z` or an offset, such as 2026-11-27T14:00:00Z"


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema plus the documented error answers and the filters' formats."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, response in self._error_responses().items():
            responses.setdefault(code, response)
        return responses

    def _error_responses(self) -> dict[str, dict[str, Any]]:
        view = self.view
        errors: dict[str, dict[str, Any]] = {}
        if self._takes_input():
            errors["400"] = self._error("400", "ValidationError")
        permissions = [type(p) for p in view.get_permissions()]
        if view.get_authenticators() and not all(issubclass(p, AllowAny) for p in permissions):
            errors["401"] = self._error("401", "Error")
            errors["401"]["headers"] = {
                "WWW-Authenticate": {"schema": {"type": "string"}, "description": "`Token`: the scheme to use."}
            }
        if permissions and not all(issubclass(p, AllowAny) for p in permissions):
            errors["403"] = self._error("403", "Error")
        if "{" in self.path:
            errors["404"] = self._error("404", "Error")
        conflict = getattr(view, "conflict_responses", {}).get(getattr(view, "action", None))
        if conflict:
            errors["409"] = self._error("409", "Conflict", description=conflict)
        return errors

    def _takes_input(self) -> bool:
        """Filters (and `as_of`) on a list, or a request body: each can be refused with a 400."""
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            return True
        filterset = getattr(self.view, "filterset_class", None)
        return self._is_list_view() and filterset is not None and bool(filterset.base_filters)

    def _error(self, code: str, name: str, description: str = "") -> dict[str, Any]:
        schema = copy.deepcopy(ERROR_SCHEMAS[name])  # each schema generation gets its own, whatever it does to them
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        self.registry.register_on_missing(component)
        return {
            "description": description or DESCRIPTIONS[code],
            "content": {"application/json": {"schema": component.ref}},
        }

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        parameters = super()._get_filter_parameters()
        filterset = getattr(self.view, "filterset_class", None)
        filters = filterset.base_filters if filterset is not None else {}
        ordering = any(issubclass(backend, OrderingFilter) for backend in self.get_filter_backends())
        for parameter in parameters:
            if parameter["name"] in filters:
                filter_format(filters[parameter["name"]], parameter)
            elif ordering and parameter["name"] == OrderingFilter.ordering_param:
                ordering_format(getattr(self.view, "ordering_fields", None), parameter)
        return parameters

    def _get_pagination_parameters(self) -> list[dict[str, Any]]:
        parameters = super()._get_pagination_parameters()
        paginator = self._get_paginator()
        for parameter in parameters:
            if parameter["name"] == getattr(paginator, "limit_query_param", None):
                parameter["schema"]["minimum"] = 1
                most = getattr(paginator, "max_limit", None)
                if most:
                    parameter["description"] = f"Rows per page, at most {most} (a larger limit gets {most})."
            elif parameter["name"] == getattr(paginator, "offset_query_param", None):
                parameter["schema"]["minimum"] = 0
        return parameters


def filter_format(field: df.Filter, parameter: dict[str, Any]) -> None:
    """Say in `parameter` (an OpenAPI query parameter) how to write `field`'s value, and its valid values if fixed."""
    label = str(field.extra.get("help_text") or field.label or parameter["name"]).rstrip(".")
    label = label[:1].upper() + label[1:]
    if not parameter.get("schema"):
        parameter["schema"] = {"type": "string"}  # a filter method typed `Any`: the query string gives it text
    choices = fixed_choices(field.extra.get("choices"))
    if isinstance(field, TagFilter):
        parameter["schema"] = {"type": "string", "pattern": r"^[^=]*[^=\s][^=]*="}
        how = (
            "`Key=Value`: rows whose tag Key has exactly Value (`Env=prod`; `Name=` for an empty value). "
            "A key alone is refused."
        )
        parameter["description"] = f"Tag. {how}"
        return
    if isinstance(field, CSVChoiceFilter):
        item: dict[str, Any] = {"type": "string"}
        if choices:
            item["enum"] = choices
        parameter.update(schema={"type": "array", "items": item}, style="form", explode=False)
        how = "One value, or several separated by commas (any of them matches)"
    elif isinstance(field, df.MultipleChoiceFilter):
        if choices:
            parameter["schema"]["items"]["enum"] = choices
        how = "Repeat the parameter for several values (any of them matches)"
    elif isinstance(field, df.ChoiceFilter):
        if choices:
            parameter["schema"]["enum"] = choices
        how = "One of the listed values"
    elif parameter["schema"].get("format") == "date-time":
        how = TIME_HELP
    elif isinstance(field, StrictBooleanFilter):
        how = "`true` or `false` (`1` or `0`); anything else is refused"
    elif isinstance(field, df.NumberFilter):
        bound = {"gte": "At least", "lte": "At most", "gt": "More than", "lt": "Less than"}
        how = f"{bound.get(field.lookup_expr, 'Exactly')} this number"
    else:
        how = ""
    parameter["description"] = f"{label}. {how}." if how else label
    if choices:
        parameter["description"] += " Valid: " + ", ".join(f"`{c}`" for c in choices) + "."


def fixed_choices(choices: Any) -> list[str] | None:
    """The valid values when they are fixed: a list, or a callable that answers without the database (an operation
    registry). A callable that would query (values present in the inventory) is not enumerated: they change."""
    if choices is None:
        return None
    if callable(choices):
        try:
            with connection.execute_wrapper(_refuse_queries):
                choices = choices()
        except _QueryRefused:
            return None
    return [str(value) for value, _label in choices]


class _QueryRefused(Exception):
    pass


def _refuse_queries(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    raise _QueryRefused(sql)


def ordering_format(fields: Any, parameter: dict[str, Any]) -> None:
    """`?ordering=region,-launch_time`: the view's sort fields, each optionally prefixed with `-` (descending)."""
    how = (
        "Sort by these fields, separated by commas; `-` before a field sorts it descending. Unknown fields are ignored"
    )
    if isinstance(fields, list | tuple) and fields:
        values = [prefix + name for name in fields for prefix in ("", "-")]
        parameter.update(schema={"type": "array", "items": {"type": "string", "enum": values}}, style="form")
        parameter["explode"] = False
        how += ". Fields: " + ", ".join(f"`{name}`" for name in fields)
    parameter["description"] = how + "."
