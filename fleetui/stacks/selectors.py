"""Reads of the CloudFormation inventory: the lists (page, CSV, API), the stack page, the home page's panel, and
what other services' pages ask (which stack owns a row: owners.py builds on `links_for`).

A resource's link to its inventory row goes through links_table.LINKS and the inventory's sync registry (the row's
model is the registered model of its sync type), one query per linked type for a whole page of resources.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.http import urlencode

from fleetui.core.selectors import Selector, count_in_scope, with_account
from fleetui.inventory.sync import spec_get

from .filters import EventFilterSet, StackFilterSet, StackResourceFilterSet, finding_q
from .links_table import LINKS
from .models import Stack, StackEvent, StackResource

EVENTS_SHOWN = 100


def stacks() -> QuerySet[Stack]:
    """Stacks with `resource_count` (their live resources)."""
    live = StackResource.objects.filter(gone_at__isnull=True)
    return Stack.objects.select_related("account").annotate(resource_count=count_in_scope(live, stack_id=F("stack_id")))


stack_list = Selector(StackFilterSet, stacks)
resource_list = Selector(StackResourceFilterSet, with_account(StackResource))
event_list = Selector(EventFilterSet, with_account(StackEvent))


def console_url(*, region: str, stack_id: str) -> str:
    query = urlencode({"stackId": stack_id})
    return f"https://{region}.console.aws.amazon.com/cloudformation/home?region={region}#/stacks/stackinfo?{query}"


@dataclass(frozen=True)
class InventoryLink:
    """A stack resource's row in another service's inventory: its name (when it has one) and its page."""

    label: str
    url: str
    gone: bool


def _installed(resource_type: str) -> Any:
    """The model of a linked type's sync type, or None when that service is not installed."""
    link = LINKS.get(resource_type)
    if link is None:
        return None
    try:
        return spec_get(link.sync_type).model
    except ValueError:
        return None


def links_for(resources: Iterable[Any]) -> dict[tuple[int, str, str, str], InventoryLink]:
    """{(account pk, region, resource type, physical id): its inventory link} for the resources fleetui also
    inventories (one query per linked type)."""
    wanted: dict[str, list[Any]] = defaultdict(list)
    for resource in resources:
        if resource.physical_id and _installed(resource.resource_type) is not None:
            wanted[resource.resource_type].append(resource)
    found: dict[tuple[int, str, str, str], InventoryLink] = {}
    for resource_type, rows in wanted.items():
        link, model = LINKS[resource_type], _installed(resource_type)
        scopes = Q(pk__in=[])
        for account_id, region in {(r.account_id, r.region) for r in rows}:
            scopes |= Q(account_id=account_id, region=region)
        matches = model.objects.select_related("account").filter(
            scopes, **{f"{link.field}__in": sorted({r.physical_id for r in rows})}
        )
        for row in matches.order_by(F("gone_at").asc(nulls_last=True)):  # a live row (last) wins over a gone one
            key = (row.account_id, row.region, resource_type, str(getattr(row, link.field)))
            found[key] = InventoryLink(row.label, row.get_absolute_url(), row.gone_at is not None)
    return found


def link_of(links: dict[tuple[int, str, str, str], InventoryLink], resource: Any) -> InventoryLink | None:
    return links.get((resource.account_id, resource.region, resource.resource_type, resource.physical_id))


@dataclass
class ResourceRow:
    resource: StackResource
    link: InventoryLink | None


@dataclass
class StackDetail:
    stack: Stack
    resources: list[ResourceRow]
    events: list[StackEvent]
    console_url: str


def stack_get(*, account_id: str, region: str, name: str) -> Stack:
    """The stack of that name in the scope: the live one, else the latest gone one. Raises Stack.DoesNotExist."""
    rows = stacks().filter(account__account_id=account_id, region=region, name=name)
    row = rows.order_by(F("gone_at").desc(nulls_first=True), "-created_at").first()
    if row is None:
        raise Stack.DoesNotExist(name)
    return row


def stack_detail(*, account_id: str, region: str, name: str) -> StackDetail:
    """One stack with its live resources linked to the inventory and its newest events (a fixed number of
    queries: one per linked type). Raises Stack.DoesNotExist when no such stack was ever synced."""
    row = stack_get(account_id=account_id, region=region, name=name)
    scope = {"account": row.account, "region": region, "stack_id": row.stack_id, "gone_at__isnull": True}
    resources = list(StackResource.objects.filter(**scope).select_related("account").order_by("logical_id"))
    links = links_for(resources)
    return StackDetail(
        stack=row,
        resources=[ResourceRow(r, link_of(links, r)) for r in resources],
        events=list(StackEvent.objects.filter(**scope).order_by("-timestamp", "event_id")[:EVENTS_SHOWN]),
        console_url=console_url(region=region, stack_id=row.stack_id),
    )


@dataclass
class StacksOverview:
    stacks: int
    sam: int
    findings: int
    drifted: int


def stacks_overview() -> StacksOverview:
    """Live stacks of enabled accounts: how many, SAM ones, failed or rolled back (findings), drifted (1 query)."""
    live = Stack.objects.filter(gone_at__isnull=True, account__enabled=True)
    counts = live.aggregate(
        stacks=Count("pk"),
        sam=Count("pk", filter=Q(is_sam=True)),
        findings=Count("pk", filter=finding_q()),
        drifted=Count("pk", filter=Q(drift_status="DRIFTED")),
    )
    return StacksOverview(**counts)
