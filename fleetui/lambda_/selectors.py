"""Reads of the Lambda inventory for the pages, the CSV exports, the API and the home page's panel.

Each list is a `Selector` (fleetui.core.selectors). A function row carries `mapping_count`: the live event source
mappings that invoke it. The detail selector costs a fixed number of queries whatever the number of mappings,
subnets or security groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, F, QuerySet
from django.urls import reverse

from fleetui.core.selectors import Selector, count_in_scope, with_account
from fleetui.ec2.links import SecurityGroup, security_groups_by_id

from .filters import (
    EventSourceMappingFilterSet,
    FunctionFilterSet,
    deprecated_runtime_q,
    near_memory_q,
    near_timeout_q,
    unreferenced_q,
)
from .models import EventSourceMapping, Function
from .runtimes import deprecation_date, is_deprecated


def functions() -> QuerySet[Function]:
    """Functions with their account and `mapping_count` (live event source mappings invoking them)."""
    live = EventSourceMapping.objects.filter(gone_at__isnull=True)
    return Function.objects.select_related("account").annotate(
        mapping_count=count_in_scope(live, function_name=F("function_name"))
    )


function_list = Selector(FunctionFilterSet, functions)
event_source_mapping_list = Selector(EventSourceMappingFilterSet, with_account(EventSourceMapping))


def function_url(row: Any) -> str:
    """The function's page, for a Function or an EventSourceMapping row (both carry `function_name`)."""
    return reverse("lambda_:function_detail", args=[row.account.account_id, row.region, row.function_name])


def console_url(*, region: str, name: str) -> str:
    return f"https://{region}.console.aws.amazon.com/lambda/home?region={region}#/functions/{name}"


@dataclass
class GroupLink:
    group_id: str
    group: SecurityGroup | None  # its row in the EC2 inventory, when synced
    url: str


@dataclass
class FunctionDetail:
    function: Function
    mappings: list[EventSourceMapping]
    security_groups: list[GroupLink]
    console_url: str
    deprecation: date | None  # AWS's deprecation date of its runtime, passed or announced
    deprecated: bool
    unreferenced: bool


def function_detail(*, account_id: str, region: str, name: str) -> FunctionDetail:
    """One function with the live mappings that invoke it and its security groups linked to EC2 (4 queries).
    Raises Function.DoesNotExist when no such function was ever synced (a gone one is still shown)."""
    row = functions().get(account__account_id=account_id, region=region, function_name=name)
    mappings = list(
        EventSourceMapping.objects.filter(account=row.account, region=region, function_name=name, gone_at__isnull=True)
    )
    groups = security_groups_by_id(account=row.account, region=region, ids=row.security_group_ids)
    when = deprecation_date(row.runtime)
    return FunctionDetail(
        function=row,
        mappings=mappings,
        security_groups=[
            GroupLink(g, groups.get(g), groups[g].get_absolute_url() if g in groups else "")
            for g in row.security_group_ids
        ],
        console_url=console_url(region=region, name=name),
        deprecation=when,
        deprecated=is_deprecated(row.runtime),
        unreferenced=row.gone_at is None and Function.objects.filter(unreferenced_q(), pk=row.pk).exists(),
    )


@dataclass
class LambdaOverview:
    """The home page's Lambda panel: live functions and each finding."""

    functions: int
    near_timeout: int
    near_memory: int
    deprecated_runtime: int
    unreferenced: int


def lambda_overview() -> LambdaOverview:
    """Live functions of enabled accounts, and the findings among them (1 query)."""
    live = Function.objects.filter(gone_at__isnull=True, account__enabled=True)
    counts = live.aggregate(
        functions=Count("pk"),
        near_timeout=Count("pk", filter=near_timeout_q()),
        near_memory=Count("pk", filter=near_memory_q()),
        deprecated_runtime=Count("pk", filter=deprecated_runtime_q()),
        unreferenced=Count("pk", filter=unreferenced_q()),
    )
    return LambdaOverview(**counts)
