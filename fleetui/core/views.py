"""The list page every service declares: a selector (FilterSet + queryset), a Table and CSV columns.

Every list view serves the full page, the htmx fragment (`#results` partial) and `?export=csv` from
one URL, so the URL always holds the whole filter state. An invalid filter value renders the page with
the form's errors and status 400, never a 500. `?as_of=<ISO time>` lists the rows as they were then
(fleetui.core.asof); a bad one is a 400 that says why. The columns shown are the table's defaults, the user's choice
or `?columns=` (fleetui.core.columns); the CSV always has every column.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any, ClassVar, NamedTuple

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views import View

from .asof import AsOfInvalid, as_of_from, rows_as_of
from .columns import columns_choose
from .csvexport import Column, csv_response
from .htmx import template_for, vary_on_htmx
from .querysets import deferred_join
from .savedviews import saved_views_context
from .tables import PER_PAGE_CHOICES, BaseTable, per_page_from, table_configure, table_sort, tidy_filter_form


class ResourceListView(View):
    """A filtered, sorted, paginated list with CSV export; subclasses only declare what to list."""

    title: ClassVar[str]
    selector: ClassVar[Callable[..., tuple[Any, Any]]]
    table_class: ClassVar[type[BaseTable]]
    csv_columns: ClassVar[Sequence[Column]]
    csv_filename: ClassVar[str]
    intro: ClassVar[str] = ""
    first_filter: ClassVar[str] = "q"
    # Filters folded under "More filters" (opened when one of them is set), so the common ones fit a row.
    more_filters: ClassVar[tuple[str, ...]] = ("gone",)
    # The resource type actions name these rows by (fleetui.actions Operation.target_type), "" for none.
    action_target_type: ClassVar[str] = ""
    # Shorter labels for the filter bar than django-filter's generated ones.
    template_name: ClassVar[str] = "components/resource_list.html"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        filterset, queryset = type(self).selector(filters=request.GET)
        valid = filterset.is_valid()
        as_of, as_of_error = None, ""
        try:
            as_of = as_of_from(request.GET)
            queryset = rows_as_of(queryset, as_of) if as_of else queryset
        except AsOfInvalid as error:
            as_of_error, valid, queryset = str(error), False, queryset.none()
        table = self.table_class(deferred_join(queryset))
        bulk_kinds, create_kinds = self.actions_offered(request, table) if as_of is None else ([], [])
        if valid and request.GET.get("export") == "csv":
            # The export follows the page's sort, so the file holds exactly what the pages show.
            table_sort(table, request)
            return csv_response(queryset=table.data.data, columns=self.csv_columns, filename=self.csv_filename)
        table_configure(table, request)
        columns = columns_choose(table, request=request, list_name=self.list_name(request))
        tidy_filter_form(filterset.form)
        context = {
            "title": self.title,
            "intro": self.intro,
            "filter": filterset,
            "filter_errors": filter_errors(filterset.form),
            "first_filter": self.first_filter,
            "more_filters": [name for name in self.more_filters if name in filterset.form.fields],
            "more_open": any(request.GET.get(name) for name in self.more_filters),
            "table": table,
            "columns": columns,
            "per_page": per_page_from(request),
            "per_page_choices": PER_PAGE_CHOICES,
            "bulk_target_type": self.action_target_type if bulk_kinds else "",
            "create_kinds": create_kinds,
            "as_of": as_of,
            "as_of_error": as_of_error,
            **saved_views_context(request, columns),  # the list's saved views and what "Save view…" keeps
            **self.extra_context(request),
        }
        template = template_for(request, self.template_name, "results")
        return vary_on_htmx(render(request, template, context, status=200 if valid else 400))

    def extra_context(self, request: HttpRequest) -> Mapping[str, Any]:
        return {}

    def list_name(self, request: HttpRequest) -> str:
        """The list's name for the user's column choice: its URL name ("<app>:<list name>")."""
        match = request.resolver_match
        return match.view_name if match else f"{type(self).__module__}.{type(self).__name__}"

    def actions_offered(self, request: HttpRequest, table: BaseTable) -> tuple[list[Any], list[Any]]:
        """(kinds for the bulk bar, kinds that create one). A plain list offers none and hides its row checkboxes, so
        nobody sees a control they cannot use; a list whose rows actions take mixes in the action engine's
        fleetui.actions.views.ActionsOffered instead."""
        if "select" in table.columns.names():
            table.columns.hide("select")
        return [], []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("action_target_type"):
            LIST_VIEWS[cls.action_target_type] = cls


def filter_errors(form: Any) -> list[tuple[str, str, list[str]]]:
    """(the field's label as the filter bar shows it, the URL parameter, the messages) of each invalid filter."""
    return [
        (str(form.fields[name].label or name) if name in form.fields else name, name, list(errors))
        for name, errors in form.errors.items()
    ]


# The list view of each resource type whose rows actions take (its `action_target_type`), so the bulk bar's
# "all filtered" re-runs exactly the list's own selector.
LIST_VIEWS: dict[str, type[ResourceListView]] = {}


def list_view_for(resource_type: str) -> type[ResourceListView] | None:
    return LIST_VIEWS.get(resource_type)


class ListPage(NamedTuple):
    """A list page as a breadcrumb and the menu name it: its URL name ("<app>:<list name>"), title and URL."""

    url_name: str
    title: str
    url: str


def list_page_for(resource_type: str) -> ListPage | None:
    """The list page of the rows of `resource_type`, found among the URL patterns by its view class; None when no
    list shows them."""
    view = list_view_for(resource_type)
    url_name = _url_names().get(view) if view is not None else None
    if view is None or url_name is None:
        return None
    return ListPage(url_name, view.title, reverse(url_name))


@cache
def _url_names() -> dict[Any, str]:
    """{view class: "namespace:name"} of every class-based view the URLconf routes to, first route wins."""
    found: dict[Any, str] = {}

    def walk(patterns: Iterable[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                view_class = getattr(pattern.callback, "view_class", None)
                if view_class is not None:
                    found.setdefault(view_class, f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return found
