"""Declarative reads, in the spirit of cloud-custodian's ResourceQuery: a `Query` says how a resource type is listed
(method, result key, page size, fixed parameters, how to name only some ids, how to read per parent), and
`Query.pages` does the calling, always through `paginate`.

Naming ids (a targeted re-sync after an action):
- `id_filter`: a `Filters` name (EC2). Preferred to the *Ids/*Names parameters, which fail the whole call with
  *.NotFound when one id no longer exists, whereas a filter just returns fewer items.
- `id_param`: a request parameter that takes a list (Beanstalk's ApplicationNames, EnvironmentIds), for services
  that return fewer items for missing ids rather than failing.
Ids go out `chunk` per call (AWS caps the values of one filter at 200). `ids=[]` makes no call; `ids=None` lists
everything.

Children (`parent_param`): a type read per parent (ECS services per cluster) is listed once per parent key, with
that key in `parent_param`; each item is tagged with it under `PARENT_KEY`, so a transform knows its parent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .clients import AccountRef, client_get, paginate

Page = list[dict[str, Any]]
PARENT_KEY = "FleetuiParent"


@dataclass(frozen=True)
class Query:
    service: str  # the boto3 client name: "ec2", "elasticbeanstalk"
    method: str  # the client method: "describe_instances"
    result_key: str  # the list in each page: "Reservations"
    page_size: int | None = None
    params: Mapping[str, Any] = field(default_factory=dict)  # fixed request parameters: {"Owners": ["self"]}
    id_filter: str = ""
    id_param: str = ""
    chunk: int = 200
    # Items nested one level down (DescribeInstances: Reservations -> Instances).
    flatten: str = ""
    parent_param: str = ""

    def pages(
        self,
        *,
        account: AccountRef,
        region: str,
        ids: Sequence[str] | None = None,
        parents: Sequence[str] | None = None,
    ) -> Iterator[Page]:
        """Yield the items of each page AWS returns (see the module docstring for `ids` and `parents`)."""
        if self.parent_param:
            for parent in parents or []:
                for page in self._pages(account, region, ids, {self.parent_param: parent}):
                    yield [{**item, PARENT_KEY: parent} for item in page]
            return
        yield from self._pages(account, region, ids, {})

    def _pages(
        self, account: AccountRef, region: str, ids: Sequence[str] | None, extra: dict[str, Any]
    ) -> Iterator[Page]:
        client = client_get(self.service, account=account, region=region)
        params: dict[str, Any] = {**self.params, **extra}
        if self.page_size:
            params["PaginationConfig"] = {"PageSize": self.page_size}
        for request in self._requests(ids):
            for page in paginate(client, self.method, self.result_key, **params, **request):
                yield self._items(page)

    def _requests(self, ids: Sequence[str] | None) -> Iterator[dict[str, Any]]:
        if ids is None:
            yield {}
            return
        if not (self.id_filter or self.id_param):
            raise ValueError(f"{self.method} cannot be asked for some ids only.")
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), self.chunk):
            values = unique[start : start + self.chunk]
            yield (
                {"Filters": [{"Name": self.id_filter, "Values": values}]} if self.id_filter else {self.id_param: values}
            )

    def _items(self, page: Page) -> Page:
        if not self.flatten:
            return page
        return [item for parent in page for item in parent.get(self.flatten, [])]
