"""Inventory checks shared by the EC2 operations."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models

from fleetui.ec2.models import Instance
from fleetui.inventory.models import Account

LIVE_STATES = ("pending", "running", "stopping", "stopped")


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
