"""Every resource type of every service (the registry, not a list of names) records added, changed and gone through
real syncs of the seeded sandbox fleet. A new service app is covered the day it is installed."""

import pytest
from django.db import models

from fleetui.inventory.models import Account, ResourceChange
from fleetui.inventory.services import sync_scopes_plan
from fleetui.inventory.sync import sync_scope
from fleetui.inventory.sync.registry import SYNCS
from fleetui.sandbox.seed import DEMO_ACCOUNTS, fleet_seed

from .conftest import REGION

pytestmark = pytest.mark.django_db
TAMPERED = "~"
DEFAULT = DEMO_ACCOUNTS[0][0]


def sync_all(skip: tuple[str, ...] = ()) -> None:
    # One account is enough to reach every type (the second is the same code through assume-role).
    for account, region, resource_type in sync_scopes_plan(account_ids=[DEFAULT], regions=[REGION]):
        if resource_type in skip:
            continue
        run = sync_scope(account=account, region=region, resource_type=resource_type)
        assert run.status == "succeeded", (resource_type, run.error)


def text_field(spec) -> str | None:
    """A synced text column other than the key and the noise: the one the test tampers with."""
    for field in spec.model._meta.concrete_fields:
        if (
            isinstance(field, models.CharField | models.TextField)
            and field.name not in (spec.key, "region", *spec.noise)
            and not field.choices
        ):
            return field.attname
    return None


def test_every_type_records_added_changed_and_gone(aws):
    fleet_seed(endpoint=aws, regions=[REGION], instances_per_scope=3)
    Account.objects.create(account_id=DEFAULT, name="default")
    sync_all()

    # Added: one record per row the sync stored, for every type.
    tampered, planted = {}, {}
    for name, spec in SYNCS.items():
        live = spec.model.objects.all()
        assert live.count() == ResourceChange.objects.filter(resource_type=name, kind="added").count(), name
        first = live.order_by("pk").first()
        if first is None or spec.is_global:
            continue
        # Changed: a value the sync must put back (AWS still says the old one).
        column = text_field(spec)
        if column:
            tampered[name] = (getattr(first, spec.key), column, getattr(first, column))
            spec.model.objects.filter(pk=first.pk).update(**{column: TAMPERED})
        # Gone: a row AWS never had, which the sweep marks gone.
        first.pk, first.id = None, None
        setattr(first, spec.key, "fleetui-history-test")
        first.save()
        planted[name] = first
    with_rows = {name for name, spec in SYNCS.items() if not spec.is_global and spec.model.objects.exists()}
    assert len(with_rows) >= 20 and set(planted) == with_rows  # the seed gives every service's types rows

    before = ResourceChange.objects.count()
    # Not the catalogs again: reading them is most of a sync's time, and they have no scope to tamper with.
    sync_all(skip=tuple(name for name, spec in SYNCS.items() if spec.is_global))
    recorded = ResourceChange.objects.filter(pk__gt=ResourceChange.objects.order_by("pk")[before - 1].pk)
    for name, (key, column, value) in tampered.items():
        change = recorded.get(resource_type=name, resource_id=str(key), kind="changed")
        assert change.diff[column] == [TAMPERED, value], name
    for name in planted:
        # (The planted row never had a record: history began without it; its first is that it is gone.)
        assert recorded.filter(resource_type=name, resource_id="fleetui-history-test", kind="gone").count() == 1, name
