"""What other services' pages ask of CloudFormation: which stack owns a row ("Belongs to: CloudFormation stack
orders-sam"), and, as a Q over that service's rows, which rows a stack owns (their `?owner=stacks`, the Lambda app's
"no stack refers to it").

navigation.OWNERS declares one `Owners` per type of links_table.LINKS, naming `find_<sync type>` and
`owned_<sync type>` here: both are built from the one table, for whichever services are installed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Q

from fleetui.core.menu import Owner
from fleetui.inventory.sync import spec_get

from .links_table import LINKS
from .models import StackResource


def stack_owners(resource_type: str, *, account: Any, region: str, ids: Sequence[str]) -> dict[str, list[Owner]]:
    """{row key: the stack that has it as a resource} for rows of `resource_type`'s sync type, named by their
    model's KEY (which is not always the physical id: an ECS cluster's key is its ARN, its Ref its name)."""
    link = LINKS[resource_type]
    model = spec_get(link.sync_type).model
    key = model.KEY  # type: ignore[attr-defined]
    if key == link.field:
        physical = {str(i): str(i) for i in ids}
    else:
        rows = model._default_manager.filter(account=account, region=region, **{f"{key}__in": list(ids)})
        physical = {str(getattr(row, link.field)): str(getattr(row, key)) for row in rows.only(key, link.field)}
    resources = StackResource.objects.filter(
        account=account, region=region, resource_type=resource_type, physical_id__in=list(physical),
        gone_at__isnull=True,
    ).select_related("account").order_by("stack_name")  # fmt: skip
    found: dict[str, list[Owner]] = {}
    for resource in resources:
        label = f"{resource.stack_name} ({resource.logical_id})"
        found.setdefault(physical[resource.physical_id], []).append(
            Owner("CloudFormation stack", label, resource.get_absolute_url())
        )
    return found


def stack_owned(resource_type: str) -> Q:
    """The rows of `resource_type`'s sync type that are a live resource of a stack in their account and region."""
    members = StackResource.objects.filter(
        account=OuterRef("account"), region=OuterRef("region"), resource_type=resource_type,
        physical_id=OuterRef(LINKS[resource_type].field), gone_at__isnull=True,
    )  # fmt: skip
    return Q(Exists(members))


for _type, _link in LINKS.items():
    globals()[f"find_{_link.sync_type}"] = functools.partial(stack_owners, _type)
    globals()[f"owned_{_link.sync_type}"] = functools.partial(stack_owned, _type)
