"""What the Beanstalk operations share: inventory checks, the lock message, and the event feed for the step log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from fleetui.actions.models import ActionLock, ActionLogEntry
from fleetui.actions.registry import known_rows
from fleetui.aws.beanstalk import environment_events
from fleetui.beanstalk.models import Environment
from fleetui.inventory.sync import sync_scope

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext
    from fleetui.inventory.models import Account

ENVIRONMENTS = "eb_environments"  # the inventory resource types (keys of this app's sync.SYNCS)
EVENTS = "eb_events"
NOISY = {"WARN": ActionLogEntry.Level.WARNING, "ERROR": ActionLogEntry.Level.ERROR, "FATAL": ActionLogEntry.Level.ERROR}


def environments_known(*, account: Account, region: str, ids: Sequence[str]) -> dict[str, Environment]:
    """{environment id: live inventory row}; refuses ids the inventory does not hold."""
    return known_rows(Environment, account=account, region=region, ids=ids)


def environments_busy(*, account: Account, region: str, ids: Sequence[str]) -> dict[str, str]:
    """{environment id: "<id> is busy: action #n (kind) ..."} for environments an unfinished action holds."""
    keys = {f"{account.account_id}/{region}/{eid}": eid for eid in ids}
    locks = ActionLock.objects.filter(resource__in=list(keys)).select_related("action__requested_by")
    return {
        keys[lock.resource]: (
            f"{keys[lock.resource]} is busy: action #{lock.action.pk} ({lock.action.kind}, requested by "
            f"{lock.action.requested_by.get_username()}) is {lock.action.status} on it."
        )
        for lock in locks
    }


def events_resync(ctx: ActionContext) -> None:
    """Re-sync the scope's Beanstalk events before the action ends, so the pages show what it did. Events have no
    id to re-sync by (see fleetui.beanstalk.transforms), so this is the whole (small, 7-day) event window; it is
    skipped when another sync of the scope is running, which reads the same window."""
    sync_scope(account=ctx.action.account, region=ctx.region, resource_type=EVENTS)


class EventFeed:
    """Copies the environments' new Beanstalk events (DescribeEvents) into the step log as they arrive.

    A redelivered action starts the feed at its own start again but remembers nothing of the dead delivery's feed,
    so it begins from "now" instead: no event is logged twice, at the cost of any sent while no worker ran.
    """

    def __init__(self, ctx: ActionContext, environment_ids: Sequence[str]) -> None:
        self.ctx = ctx
        self.ids = list(environment_ids)
        started = ctx.action.started_at or timezone.now()
        self.since: datetime = timezone.now() if ctx.resumed else started - timedelta(seconds=1)
        self.seen: set[tuple[Any, ...]] = set()

    def pump(self) -> None:
        newest = self.since
        for environment_id in self.ids:
            events = environment_events(
                account=self.ctx.account, region=self.ctx.region, environment_id=environment_id, since=self.since
            )
            for event in events:
                key = (event["EventDate"], event.get("EnvironmentName"), event.get("Message"))
                if key in self.seen:
                    continue
                self.seen.add(key)
                newest = max(newest, event["EventDate"])
                level = NOISY.get(event.get("Severity", ""), ActionLogEntry.Level.INFO)
                self.ctx.log(f"{event.get('EnvironmentName', environment_id)}: {event.get('Message', '')}", level=level)
        self.since = newest
