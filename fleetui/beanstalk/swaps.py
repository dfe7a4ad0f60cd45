"""Blue/green state derived from the audit log, never stored twice.

A succeeded `beanstalk.swap` action records in its result which environment took the production URL
(`promoted`), which one gave it up (`standby`) and the URL itself (`production_url`). From those rows:
- an application's production URL is the one its latest succeeded swap gave out; before any swap through fleetui
  it is the web environment whose CNAME prefix is the application's name (the usual naming of the main URL);
- an environment is the standby while its latest succeeded swap made it give up production less than
  FLEETUI_BEANSTALK_DNS_GRACE seconds ago: DNS resolvers and clients may still send it traffic, so it must not be
  terminated, and it is what a swap back returns to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from fleetui.actions.models import Action
from fleetui.inventory.models import Account

from .models import Environment

SWAP_KIND = "beanstalk.swap"


def dns_grace() -> timedelta:
    return timedelta(seconds=int(settings.FLEETUI_BEANSTALK_DNS_GRACE))


def swap_history(*, account: Account | int, region: str, application: str) -> QuerySet[Action]:
    """Every swap action of the application (any status), newest first."""
    return (
        Action.objects.filter(kind=SWAP_KIND, account=account, region=region, params__application=application)
        .select_related("requested_by")
        .order_by("-created_at", "-pk")
    )


def _succeeded_swaps(*, account: Account | int, region: str) -> QuerySet[Action]:
    return Action.objects.filter(
        kind=SWAP_KIND, account=account, region=region, status=Action.Status.SUCCEEDED
    ).order_by("-finished_at", "-pk")


def production_url(
    *, account: Account | int, region: str, application: str, environments: Iterable[Environment]
) -> str:
    """The application's production URL (see the module docstring), or "" when fleetui cannot tell."""
    # The latest swap that moved it (a swap between two other environments of the application records none).
    for action in _succeeded_swaps(account=account, region=region).filter(params__application=application)[:100]:
        if action.result.get("production_url"):
            return str(action.result["production_url"])
    for environment in environments:
        if environment.is_web and environment.cname.split(".", 1)[0].lower() == application.lower():
            return environment.cname
    return ""


@dataclass(frozen=True)
class Standby:
    """The environment gave up the production URL in `action`; it stays the standby until `until`."""

    environment_id: str
    action: Action
    until: datetime

    @property
    def seconds_left(self) -> int:
        return max(0, int((self.until - timezone.now()).total_seconds()))


def standbys_of(*, account: Account | int, region: str, environment_ids: Iterable[str]) -> dict[str, Standby]:
    """{environment id: Standby} for those of `environment_ids` that are the standby now, in one query.

    Only swaps finished within the grace period can make an environment the standby, so those are read newest
    first, and each environment is decided by the first of them that involves it (as promoted or as standby).
    """
    wanted, decided, found = set(environment_ids), set(), {}
    grace = dns_grace()
    recent = _succeeded_swaps(account=account, region=region).filter(finished_at__gt=timezone.now() - grace)
    for action in recent:
        for role in ("standby", "promoted"):
            environment_id = action.result.get(role)
            if environment_id in wanted and environment_id not in decided:
                decided.add(environment_id)
                if role == "standby" and action.finished_at is not None:
                    found[environment_id] = Standby(environment_id, action, action.finished_at + grace)
    return found


def standby_of(*, account: Account | int, region: str, environment_id: str) -> Standby | None:
    """The environment's standby record while its DNS grace period lasts, else None."""
    return standbys_of(account=account, region=region, environment_ids=[environment_id]).get(environment_id)
