"""Run one scope: (account, region, resource type) -> get -> transform -> load -> sweep, recorded in a SyncRun.

A scope runs in one process at a time: the SyncRun table's conditional unique constraint lets only one
`running` row exist per scope, so a second worker that picks the same scope skips it. A `running` row
older than the task hard time limit belongs to a worker that died; it is marked failed ("worker
lost") so the scope is never blocked for good.

An AWS failure (AccessDenied/AuthFailure/UnauthorizedOperation/OptInRequired, throttling after the
retries, an unknown region, an endpoint down) marks the run failed with a message a person
understands. Pages already loaded stay, nothing is swept, and the previous data is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from fleetui.aws import AccountRef, AwsError, ec2
from fleetui.aws import beanstalk as eb
from fleetui.beanstalk.models import ApplicationVersion, BeanstalkApplication, Environment, EnvironmentEvent

from ..models import (
    Account,
    ElasticIP,
    Image,
    Instance,
    InstanceType,
    KeyPair,
    NetworkInterface,
    PlacementGroup,
    SecurityGroup,
    SyncRun,
    Volume,
)
from . import beanstalk as eb_transforms
from . import ec2 as transforms
from .catalog import instance_type_fields
from .load import BulkLoader
from .read_ahead import read_ahead

logger = logging.getLogger(__name__)

Transform = Callable[[dict[str, Any], Any], dict[str, Any]]


def _no_context() -> None:
    return None


def _catalog_categories() -> Mapping[str, str]:
    return dict(InstanceType.objects.values_list("name", "category"))


@dataclass(frozen=True)
class ResourceSync:
    """How one resource type is fetched, transformed and keyed."""

    fetch: Callable[..., Iterator[list[dict[str, Any]]]]
    transform: Transform
    model: type[models.Model]
    key: str
    # The catalog is global: one table for every account and region, never swept.
    is_global: bool = False
    context: Callable[[], Any] = field(default=_no_context)


SYNCS: dict[str, ResourceSync] = {
    "instance_types": ResourceSync(
        ec2.instance_type_pages, lambda raw, _: instance_type_fields(raw), InstanceType, "name", is_global=True
    ),
    "instances": ResourceSync(
        ec2.instance_pages, transforms.instance_fields, Instance, Instance.KEY, context=_catalog_categories
    ),
    "placement_groups": ResourceSync(
        ec2.placement_group_pages, transforms.placement_group_fields, PlacementGroup, PlacementGroup.KEY
    ),
    "key_pairs": ResourceSync(ec2.key_pair_pages, transforms.key_pair_fields, KeyPair, KeyPair.KEY),
    "elastic_ips": ResourceSync(ec2.address_pages, transforms.address_fields, ElasticIP, ElasticIP.KEY),
    "images": ResourceSync(ec2.image_pages, transforms.image_fields, Image, Image.KEY),
    "security_groups": ResourceSync(
        ec2.security_group_pages, transforms.security_group_fields, SecurityGroup, SecurityGroup.KEY
    ),
    "network_interfaces": ResourceSync(
        ec2.network_interface_pages, transforms.network_interface_fields, NetworkInterface, NetworkInterface.KEY
    ),
    "volumes": ResourceSync(ec2.volume_pages, transforms.volume_fields, Volume, Volume.KEY),
    # Elastic Beanstalk (fleetui.beanstalk's models): events have no id, their key is a digest (see the transform).
    "eb_applications": ResourceSync(
        eb.application_pages, eb_transforms.application_fields, BeanstalkApplication, BeanstalkApplication.KEY
    ),
    "eb_versions": ResourceSync(
        eb.version_pages, eb_transforms.version_fields, ApplicationVersion, ApplicationVersion.KEY
    ),
    "eb_environments": ResourceSync(
        eb.environment_pages, eb_transforms.environment_fields, Environment, Environment.KEY
    ),
    "eb_events": ResourceSync(eb.event_pages, eb_transforms.event_fields, EnvironmentEvent, EnvironmentEvent.KEY),
}
RESOURCE_TYPES: list[str] = list(SYNCS)
LOAD_SLICE = 1000
WORKER_LOST = "Worker lost: the run did not finish within the task time limit ({seconds} s)."


def account_ref(account: Account) -> AccountRef:
    """What fleetui.aws needs to reach an account row."""
    return AccountRef(account_id=account.account_id, role_arn=account.role_arn, external_id=account.external_id)


def syncrun_start(*, account: Account, region: str, resource_type: str) -> SyncRun:
    """A new running SyncRun for the scope, or the one already running there with `skipped = True`."""
    now = timezone.now()
    scope = SyncRun.objects.filter(account=account, region=region, resource_type=resource_type)
    limit = int(settings.CELERY_TASK_TIME_LIMIT)
    scope.filter(status=SyncRun.Status.RUNNING, started_at__lt=now - timedelta(seconds=limit)).update(
        status=SyncRun.Status.FAILED, finished_at=now, error=WORKER_LOST.format(seconds=limit)
    )
    for _attempt in range(3):
        try:
            with transaction.atomic():
                run = SyncRun.objects.create(account=account, region=region, resource_type=resource_type)
            run.skipped = False  # type: ignore[attr-defined]
            return run
        except IntegrityError:
            running = scope.filter(status=SyncRun.Status.RUNNING).first()
            if running is not None:
                running.skipped = True  # type: ignore[attr-defined]
                return running
    raise RuntimeError(f"Could not start a sync of {resource_type} in {account.account_id}/{region}.")


def syncrun_finish(run: SyncRun, *, error: str = "") -> SyncRun:
    run.status = SyncRun.Status.FAILED if error else SyncRun.Status.SUCCEEDED
    run.error = error
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "finished_at", "seen", "added", "changed", "gone"])
    return run


def _get_transform_load(
    spec: ResourceSync, account: Account, region: str, run: SyncRun, on_page: Callable[[SyncRun], None] | None
) -> None:
    scope = {} if spec.is_global else {"account_id": account.pk, "region": region}
    loader = BulkLoader(spec.model, key=spec.key, scope=scope, now=run.started_at)
    context = spec.context()
    for page in read_ahead(spec.fetch(account=account_ref(account), region=region)):
        # A page can be large (AWS does not paginate DescribeAddresses, DescribeKeyPairs or
        # DescribePlacementGroups): transform it in slices so only one slice of model objects is alive.
        for start in range(0, len(page), LOAD_SLICE):
            loader.load([spec.transform(raw, context) for raw in page[start : start + LOAD_SLICE]])
        run.seen, run.added, run.changed = len(loader.seen), loader.added, loader.changed
        # Progress for pages that show a running sync; SyncRun is bookkeeping, not inventory data.
        run.save(update_fields=["seen", "added", "changed"])
        if on_page is not None:
            on_page(run)
    # Reached only when every page arrived: a failed fetch raised above, before any sweep.
    run.gone = 0 if spec.is_global else loader.sweep()


def sync_scope(
    *, account: Account, region: str, resource_type: str, on_page: Callable[[SyncRun], None] | None = None
) -> SyncRun:
    """Sync one (account, region, resource type) in this process and return its finished SyncRun.

    If another process is syncing the scope, returns that running SyncRun with `skipped = True`.
    `on_page(run)` is called after each page with the counts so far (for progress bars).
    """
    if resource_type not in SYNCS:
        raise ValueError(f"Unknown resource type {resource_type!r}; known: {', '.join(RESOURCE_TYPES)}.")
    run = syncrun_start(account=account, region=region, resource_type=resource_type)
    if run.skipped:  # type: ignore[attr-defined]
        logger.info("Skipping %s: already running (SyncRun %s).", run, run.pk)
        return run
    try:
        _get_transform_load(SYNCS[resource_type], account, region, run, on_page)
    except AwsError as error:
        logger.warning("Sync of %s in %s/%s failed: %s", resource_type, account.account_id, region, error)
        return syncrun_finish(run, error=str(error))
    except BaseException as error:
        # A bug or a worker shutdown: release the scope, then let the error surface.
        syncrun_finish(run, error=f"Internal error: {type(error).__name__}: {error}")
        raise
    return syncrun_finish(run)
