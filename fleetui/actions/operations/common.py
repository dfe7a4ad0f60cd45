"""Inventory checks and wait settings shared by the EC2 operations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode

from fleetui.inventory.models import Account, Instance

from ..registry import ActionInvalid

LIVE_STATES = ("pending", "running", "stopping", "stopped")


def shown(ids: Sequence[str], limit: int = 10) -> str:
    """A list of ids for a message, cut after `limit`."""
    return ", ".join(ids[:limit]) + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def known_rows(model: type[models.Model], *, account: Account, region: str, ids: Sequence[str]) -> dict[str, Any]:
    """{key: row} of the live inventory rows of `model` (keyed by model.KEY) in the scope; refuses ids the inventory
    does not hold (typos, other regions, already gone)."""
    key = model.KEY  # type: ignore[attr-defined]
    rows = model._default_manager.filter(
        account=account, region=region, gone_at__isnull=True, **{f"{key}__in": list(ids)}
    )
    found = {getattr(row, key): row for row in rows}
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise ActionInvalid(
            f"Not in the inventory of {account.account_id}/{region}: {shown(unknown)}. Check the ids, or sync first.",
            field="targets",
        )
    return found


def instances_using(*, account: Account, region: str, field: str, values: Sequence[str]) -> dict[str, int]:
    """{value: number of live inventory instances whose `field` (key_name, image_id) is that value}."""
    rows = (
        Instance.objects.filter(
            account=account, region=region, gone_at__isnull=True, state__in=LIVE_STATES, **{f"{field}__in": values}
        )
        .values(field)
        .annotate(count=models.Count("pk"))
    )
    return {row[field]: row["count"] for row in rows}


def wait_timeout() -> int:
    return int(settings.FLEETUI_ACTION_WAIT_TIMEOUT)


def poll_interval() -> float:
    return float(settings.FLEETUI_ACTION_POLL_INTERVAL)


def request_url(
    kind: str, *, account_id: str, region: str, targets: Sequence[str] = (), parent: int | None = None,
    params: dict[str, Any] | None = None,
) -> str:  # fmt: skip
    """The request page of `kind` with its targets, scope, parameters (prefix "p-") and parent filled in."""
    query: list[tuple[str, Any]] = [("target", target) for target in targets]
    query += [("account", account_id), ("region", region)] + ([("parent", parent)] if parent else [])
    query += [(f"p-{name}", "" if value is None else value) for name, value in (params or {}).items()]
    return reverse("actions:new", args=[kind]) + "?" + urlencode(query)
