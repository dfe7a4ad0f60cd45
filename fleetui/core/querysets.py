"""Deep pages without reading every skipped row: the "deferred join".

`OFFSET 99975 LIMIT 25` makes the database walk 99,975 rows before the page. Walking them in an index
that holds the sort key and the primary key (an index-only scan) and then fetching only the page's
rows by id costs a fraction of walking the table itself. A list view wraps its queryset with
`deferred_join`; only slicing changes, so counts, ordering and `.iterator()` (CSV) work as before.

A list as of a past moment (fleetui.core.asof) is rebuilt from the history: every page reads all its rows, to sort
them. Its page's rows are read by id from the history of those rows only, and `CountingPaginator` takes the count
from the same query as the page's ids (`COUNT(*) OVER ()`), so the history is read once per page, not twice.
"""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable

from .asof import as_of_moment, rows_as_of

# The window count's name beside the page's ids (a name no model field takes).
_TOTAL = "deferred_join_total"


class DeferredJoinQuerySet(QuerySet):
    """A queryset whose slices are fetched in two steps: the page's ids, then those rows by id.

    Querysets with a non-model result (values(), values_list()) slice as usual. The page's rows are read with the
    queryset's own joins and annotations (an instance's `reserved`), so they are the rows a plain slice would give.
    Always two queries per slice, so a page costs the same number of queries at any depth.
    """

    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, slice) or self._result_cache is not None:
            return super().__getitem__(key)
        if self._iterable_class is not ModelIterable:
            return super().__getitem__(key)
        return self._rows_of(list(self.values_list("pk", flat=True)[key]))

    def counted_slice(self, start: int, stop: int) -> tuple[list[Any], int | None]:
        """`self[start:stop]` and `self.count()`, the count from the query of the page's ids: None when the slice is
        empty (past the end), where the count is unknown. Not for a DISTINCT query: the window counts the rows before
        DISTINCT."""
        pairs = list(self.annotate(**{_TOTAL: Window(Count("*"))}).values_list("pk", _TOTAL)[start:stop])
        return self._rows_of([pk for pk, _total in pairs]), (pairs[0][1] if pairs else None)

    def _rows_of(self, ids: list[Any]) -> list[Any]:
        """The rows of `ids`, in that order, with this queryset's joins and annotations."""
        rows: QuerySet = QuerySet(self.model, query=self.query.chain(), using=self.db).order_by()
        moment = as_of_moment(rows)
        rows = rows.filter(pk__in=ids) if moment is None else rows_as_of(rows, moment, pks=ids)
        by_id = {row.pk: row for row in rows}
        return [by_id[pk] for pk in ids if pk in by_id]


class CountingPaginator(Paginator):
    """Pages a list as of a past moment (a DeferredJoinQuerySet under django-tables2's rows): the page's ids and the
    count in one query (`counted_slice`), where Django's Paginator counts, then reads the page. Past the end, for a
    DISTINCT query, or for anything else, it pages as Django's does."""

    def page(self, number: Any) -> Page:
        rows: Any = self.object_list
        queryset = getattr(getattr(rows, "data", None), "data", None)
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 0
        if wanted < 1 or not isinstance(queryset, DeferredJoinQuerySet) or queryset.query.distinct:
            return super().page(number)
        bottom = (wanted - 1) * self.per_page
        found, total = queryset.counted_slice(bottom, bottom + self.per_page)
        if total is None:
            return super().page(number)
        self.count = total  # Paginator.count is a cached_property: this is its value now.
        return Page(type(rows)(found, table=rows.table, pinned_data=rows.pinned_data), wanted, self)


def deferred_join(queryset: QuerySet) -> QuerySet:
    """The same query as a DeferredJoinQuerySet (see the module docstring)."""
    clone: QuerySet = DeferredJoinQuerySet(model=queryset.model, query=queryset.query.chain(), using=queryset.db)
    clone._prefetch_related_lookups = queryset._prefetch_related_lookups  # type: ignore[attr-defined]
    return clone
