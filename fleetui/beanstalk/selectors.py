"""Reads of the Beanstalk inventory for the pages, the CSV exports and the API.

Each `<thing>_list(*, filters)` returns `(filterset, queryset)` like fleetui.inventory.selectors: the bound
FilterSet (its form carries any errors) and the filtered queryset, or none at all when a value is invalid.
The detail selectors cost a fixed number of queries whatever the number of environments, instances, versions,
swaps or events (everything is read per application or per environment, never per row).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.db.models import F, Q, QuerySet
from django.urls import reverse

from fleetui.actions.models import Action
from fleetui.core.menu import Owner
from fleetui.core.selectors import Selector, count_in_scope, with_account
from fleetui.ec2.links import Instance, instances_by_id

from . import swaps
from .filters import ApplicationFilterSet, EnvironmentFilterSet, EventFilterSet, VersionFilterSet
from .models import ApplicationVersion, BeanstalkApplication, Environment, EnvironmentEvent

RECENT_EVENTS = 50
RECENT_SWAPS = 20


def _applications() -> QuerySet[BeanstalkApplication]:
    """Applications, each annotated with `environment_count`: its live environments (same account and region)."""
    live = Environment.objects.filter(gone_at__isnull=True)
    return BeanstalkApplication.objects.select_related("account").annotate(
        environment_count=count_in_scope(live, application_name=F("application_name"))
    )


application_list = Selector(ApplicationFilterSet, _applications)
version_list = Selector(VersionFilterSet, with_account(ApplicationVersion))  # newest first per application
environment_list = Selector(EnvironmentFilterSet, with_account(Environment))  # by application and name
event_list = Selector(EventFilterSet, with_account(EnvironmentEvent))  # the API's; pages show events per environment


# --- Blue/green state --------------------------------------------------------------------------------------------


@dataclass
class EnvironmentCard:
    """One web environment on its application's page."""

    environment: Environment
    holds_production: bool
    standby: swaps.Standby | None


@dataclass
class SwapRow:
    """One swap of the history: the action, the promoted environment's name and the CNAMEs before and after."""

    action: Action
    promoted: str
    before: list[tuple[str, str]]
    after: list[tuple[str, str]]
    warnings: list[str]


@dataclass
class ApplicationDetail:
    application: BeanstalkApplication
    production_url: str
    production: Environment | None
    web: list[EnvironmentCard]
    workers: list[Environment]
    versions: list[ApplicationVersion]
    swaps: list[SwapRow]
    events: list[EnvironmentEvent]
    console_url: str
    deployed: dict[str, list[str]] = field(default_factory=dict)  # version label -> environment names


def application_detail(*, account_id: str, region: str, application: str) -> ApplicationDetail:
    """One application with its environments (web ones as cards), versions, swap history and recent events.

    Raises BeanstalkApplication.DoesNotExist when no such application was ever synced (gone ones are still shown).
    A fixed number of queries, whatever the number of environments, versions, swaps or events.
    """
    app = BeanstalkApplication.objects.select_related("account").get(
        account__account_id=account_id, region=region, application_name=application
    )
    scope: dict[str, Any] = {"account": app.account, "region": region}
    every = list(Environment.objects.filter(**scope, application_name=application).select_related("account"))
    live = [env for env in every if env.gone_at is None]
    url = swaps.production_url(**scope, application=application, environments=live)
    cards = _web_cards(scope, live, url)
    names = {env.environment_id: env.environment_name for env in every}
    history = swaps.swap_history(**scope, application=application)[:RECENT_SWAPS]
    return ApplicationDetail(
        application=app,
        production_url=url,
        production=next((card.environment for card in cards if card.holds_production), None),
        web=cards,
        workers=[env for env in live if not env.is_web],
        versions=list(ApplicationVersion.objects.filter(**scope, application_name=application, gone_at__isnull=True)),
        swaps=[_swap_row(action, names) for action in history],
        events=list(EnvironmentEvent.objects.filter(**scope, application_name=application)[:RECENT_EVENTS]),
        console_url=application_console_url(region=region, application=application),
        deployed=_deployed(live),
    )


def _web_cards(scope: dict[str, Any], environments: list[Environment], url: str) -> list[EnvironmentCard]:
    """The web environments as cards: which one holds `url`, which one is the standby (one query for all)."""
    web = [env for env in environments if env.is_web]
    standby = swaps.standbys_of(**scope, environment_ids=[env.environment_id for env in web])
    return [EnvironmentCard(env, bool(url) and env.cname == url, standby.get(env.environment_id)) for env in web]


def _deployed(environments: list[Environment]) -> dict[str, list[str]]:
    """{version label: names of the environments running it}."""
    deployed: dict[str, list[str]] = {}
    for env in environments:
        deployed.setdefault(env.version_label, []).append(env.environment_name)
    return deployed


def _swap_row(action: Action, names: Mapping[str, str]) -> SwapRow:
    result = action.result or {}
    promoted = result.get("promoted") or (action.targets[0] if action.targets else "")

    def labelled(cnames: Mapping[str, str] | None) -> list[tuple[str, str]]:
        return [(names.get(eid, eid), cname) for eid, cname in sorted((cnames or {}).items())]

    return SwapRow(
        action=action,
        promoted=names.get(promoted, promoted),
        before=labelled(result.get("before")),
        after=labelled(result.get("after")),
        warnings=list(result.get("warnings") or []),
    )


@dataclass
class EnvironmentDetail:
    environment: Environment
    application: BeanstalkApplication | None
    production_url: str
    standby: swaps.Standby | None
    # (instance id, its inventory row or None when the EC2 inventory has not seen it yet), in the resources' order.
    instances: list[tuple[str, Instance | None]]
    events: list[EnvironmentEvent]
    console_url: str

    @property
    def holds_production(self) -> bool:
        return bool(self.production_url) and self.environment.cname == self.production_url


def environment_detail(*, account_id: str, region: str, environment_id: str) -> EnvironmentDetail:
    """One environment with its standby state, its instances from the EC2 inventory and its recent events.

    Raises Environment.DoesNotExist when no such environment was ever synced (gone ones are still shown).
    """
    env = Environment.objects.select_related("account").get(
        account__account_id=account_id, region=region, environment_id=environment_id
    )
    scope: dict[str, Any] = {"account": env.account, "region": region}
    siblings = Environment.objects.filter(**scope, application_name=env.application_name, gone_at__isnull=True)
    by_id = instances_by_id(**scope, ids=env.instance_ids)
    events = EnvironmentEvent.objects.filter(
        **scope, application_name=env.application_name, environment_name=env.environment_name
    )
    return EnvironmentDetail(
        environment=env,
        application=BeanstalkApplication.objects.filter(**scope, application_name=env.application_name).first(),
        production_url=swaps.production_url(**scope, application=env.application_name, environments=list(siblings)),
        standby=swaps.standby_of(**scope, environment_id=env.environment_id),
        instances=[(instance_id, by_id.get(instance_id)) for instance_id in env.instance_ids],
        events=list(events[:RECENT_EVENTS]),  # the model's order: newest first, then AWS's order
        console_url=environment_console_url(region=region, environment_id=env.environment_id),
    )


def application_console_url(*, region: str, application: str) -> str:
    return (
        f"https://{region}.console.aws.amazon.com/elasticbeanstalk/home?region={region}"
        f"#/application/overview?applicationName={quote(application)}"
    )


def environment_console_url(*, region: str, environment_id: str) -> str:
    return (
        f"https://{region}.console.aws.amazon.com/elasticbeanstalk/home?region={region}"
        f"#/environment/dashboard?environmentId={environment_id}"
    )


def instance_owners(*, account: Any, region: str, ids: list[str]) -> dict[str, list[Owner]]:
    """{instance id: the live environments that run it} (an EC2 instance page's "Belongs to"). An account and region
    hold few environments, so their resources are read whole rather than searched inside the JSON."""
    wanted = set(ids)
    found: dict[str, list[Owner]] = {}
    environments = Environment.objects.filter(account=account, region=region, gone_at__isnull=True)
    for env in environments.select_related("account").order_by("environment_name"):
        label = f"{env.environment_name} (application {env.application_name})"
        for instance_id in wanted.intersection(env.instance_ids):
            url = reverse("beanstalk:environment_detail", args=[env.account.account_id, region, env.environment_id])
            found.setdefault(instance_id, []).append(Owner("Elastic Beanstalk environment", label, url))
    return found


def instances_owned() -> Q:
    """The EC2 instances that run a live environment (the EC2 overview's "by owner service" and `?owner=beanstalk`).
    An account holds few environments: their instance ids are read whole."""
    live = Environment.objects.filter(gone_at__isnull=True).only("resources")
    return Q(instance_id__in=sorted({instance_id for env in live for instance_id in env.instance_ids}))
