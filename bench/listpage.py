"""(d) Server time and SQL query count of the instances list, through django.test.Client.

Time is measured around `client.get`: the whole Django stack (middleware, session, role, filter,
query, template) without the network, which is what a p95 target on the server can promise.
"""

import math
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fleetui.core.roles import Role, user_set_role

from .table import median, p95

LIST_URL_NAME = "ec2:instance_list"
DEEP_PER_PAGE = 25


@dataclass
class PageTiming:
    name: str
    query: str
    samples_ms: list[float] = field(default_factory=list)
    slowest_sql: str = ""
    slowest_sql_ms: float = 0.0

    @property
    def median_ms(self) -> float:
        return median(self.samples_ms)

    @property
    def p95_ms(self) -> float:
        return p95(self.samples_ms)


def viewer_client() -> Client:
    """A client logged in as a user holding exactly the viewer role."""
    user, _ = get_user_model().objects.get_or_create(username="bench-viewer")
    user_set_role(user=user, role=Role.VIEWER)
    client = Client()
    client.force_login(user)
    return client


def list_pages(*, visible_rows: int) -> list[tuple[str, str]]:
    """The four pages the targets name: default, filtered, sorted and the last (deepest) page."""
    last = max(1, math.ceil(visible_rows / DEEP_PER_PAGE))
    return [
        ("default page", ""),
        ("filtered page", "?state=stopped&family=m5&region=eu-west-1"),
        ("sorted page", "?sort=-launch_time"),
        (f"deep page ({last})", f"?per_page={DEEP_PER_PAGE}&page={last}"),
    ]


def _get(client: Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}, not 200")
    return elapsed


def page_time(
    client: Client, *, name: str, query: str, requests: int, warmup: int = 2, url_name: str = LIST_URL_NAME
) -> PageTiming:
    """`requests` timed GETs of one page after `warmup` untimed ones; notes the slowest SQL of one request."""
    url = reverse(url_name) + query
    timing = PageTiming(name=name, query=query)
    for _ in range(warmup):
        _get(client, url)
    timing.samples_ms = [_get(client, url) for _ in range(requests)]
    with CaptureQueriesContext(connection) as ctx:
        _get(client, url)
    slowest = max(ctx.captured_queries, key=lambda q: float(q["time"]), default=None)
    if slowest is not None:
        timing.slowest_sql, timing.slowest_sql_ms = slowest["sql"], float(slowest["time"]) * 1000
    return timing


def query_count(client: Client, *, query: str, per_page: int | None = None, url_name: str = LIST_URL_NAME) -> int:
    """SQL statements for one request of the page `query` at `per_page` rows (session and role lookups included)."""
    url = reverse(url_name) + query
    if per_page is not None:
        url += ("&" if query else "?") + f"per_page={per_page}"
    _get(client, url)
    with CaptureQueriesContext(connection) as ctx:
        _get(client, url)
    return len(ctx.captured_queries)


def explain_analyze(sql: str) -> str:
    """EXPLAIN ANALYZE of a captured statement (its parameters are already inlined by the driver)."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())
