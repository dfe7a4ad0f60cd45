"""Checks shared by the EC2 operations."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings

from fleetui.inventory.models import Account, Instance

from ..registry import ActionInvalid


def known_instances(*, account: Account, region: str, ids: Sequence[str]) -> dict[str, Instance]:
    """The inventory rows of `ids` in the scope; refuses ids the inventory does not hold (typos, other regions)."""
    rows = {
        row.instance_id: row
        for row in Instance.objects.filter(account=account, region=region, instance_id__in=ids, gone_at__isnull=True)
    }
    unknown = [i for i in ids if i not in rows]
    if unknown:
        shown = ", ".join(unknown[:10]) + (f" and {len(unknown) - 10} more" if len(unknown) > 10 else "")
        raise ActionInvalid(
            f"Not in the inventory of {account.account_id}/{region}: {shown}. Check the ids, or sync first.",
            field="targets",
        )
    return rows


def wait_timeout() -> int:
    return int(settings.FLEETUI_ACTION_WAIT_TIMEOUT)


def poll_interval() -> float:
    return float(settings.FLEETUI_ACTION_POLL_INTERVAL)
