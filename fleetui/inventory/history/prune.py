"""Retention: records older than FLEETUI_HISTORY_DAYS go, in small chunks, each its own short transaction.

A record is pruned when it is older than the cut-off. `as_of` at T rolls the live rows back with the records written
after T, and T is never before the cut-off (fleetui.core.asof refuses it), so no moment inside the limit needs one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ..models import ResourceChange

PRUNE_BATCH = 5000


def history_cutoff(now: datetime | None = None) -> datetime:
    """The oldest moment the history keeps (now minus FLEETUI_HISTORY_DAYS)."""
    return (now or timezone.now()) - timedelta(days=int(settings.FLEETUI_HISTORY_DAYS))


def history_prune(*, now: datetime | None = None, chunk: int = PRUNE_BATCH) -> int:
    """Delete the records retention no longer keeps; returns how many. Each chunk locks only its own rows."""
    cutoff = history_cutoff(now)
    expired = ResourceChange.objects.filter(at__lt=cutoff)
    deleted = 0
    while True:
        ids = list(expired.order_by().values_list("pk", flat=True)[:chunk])
        if not ids:
            return deleted
        deleted += ResourceChange.objects.filter(pk__in=ids)._prune()
