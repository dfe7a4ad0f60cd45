"""Deep pages without reading every skipped row: the "deferred join".

`OFFSET 99975 LIMIT 25` makes the database walk 99,975 rows before the page. Walking them in an index
that holds the sort key and the primary key (an index-only scan) and then fetching only the page's
rows by id costs a fraction of walking the table itself. A list view wraps its queryset with
`deferred_join`; only slicing changes, so counts, ordering and `.iterator()` (CSV) work as before.
"""

from typing import Any

from django.db.models import QuerySet
from django.db.models.query import ModelIterable

from .asof import is_as_of


class DeferredJoinQuerySet(QuerySet):
    """A queryset whose slices are fetched in two steps: the page's ids, then those rows by id.

    Querysets with a non-model result (values(), values_list()) slice as usual. The page's rows are read with the
    queryset's own joins and annotations (an instance's `reserved`), so they are the rows a plain slice would give.
    Always two queries per slice, so a page costs the same number of queries at any depth.
    """

    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, slice) or self._result_cache is not None:
            return super().__getitem__(key)
        if self._iterable_class is not ModelIterable or is_as_of(self):
            # (A list as of a past moment reads its rows from the history, not from the table by id.)
            return super().__getitem__(key)
        ids = list(self.values_list("pk", flat=True)[key])
        rows: QuerySet = QuerySet(self.model, query=self.query.chain(), using=self.db).filter(pk__in=ids).order_by()
        by_id = {row.pk: row for row in rows}
        return [by_id[pk] for pk in ids if pk in by_id]


def deferred_join(queryset: QuerySet) -> QuerySet:
    """The same query as a DeferredJoinQuerySet (see the module docstring)."""
    clone: QuerySet = DeferredJoinQuerySet(model=queryset.model, query=queryset.query.chain(), using=queryset.db)
    clone._prefetch_related_lookups = queryset._prefetch_related_lookups  # type: ignore[attr-defined]
    return clone
