"""Owners with `owned`: another service's rows counted and filtered by the app that owns them, and "none"."""

import pytest
from django.db.models import Q

from fleetui.core import menu
from fleetui.core.menu import NOT_OWNED, Owners, owned_by, owner_services
from fleetui.ec2.models import Instance
from tests.factories import InstanceFactory

pytestmark = pytest.mark.django_db


def runs_a() -> Q:
    return Q(tags__has_key="a:cluster")


def runs_b() -> Q:
    return Q(tags__has_key="b:group")


def test_an_apps_rows_and_the_rows_no_app_owns(monkeypatch):
    here = "tests.core.test_owners"
    monkeypatch.setattr(menu, "OWNERS", [
        Owners("instances", "unused", owned=f"{here}.runs_b", label="B", app="inventory"),
        Owners("instances", "unused", owned=f"{here}.runs_a", label="A", app="core"),
        Owners("instances", "unused", app="actions"),  # says what owns a row, but cannot select them
        Owners("volumes", "unused", owned=f"{here}.runs_a", label="A", app="core"),
        Owners("instances", "unused", owned=f"{here}.runs_a", label="Gone", app="not_installed"),
    ])  # fmt: skip
    a = InstanceFactory(tags={"a:cluster": "x"})
    b = InstanceFactory(tags={"b:group": "y"})
    plain = InstanceFactory(tags={"Name": "web"})  # neither tag: both conditions are NULL for it, not false

    assert [(o.app, o.label) for o in owner_services("instances")] == [("core", "A"), ("inventory", "B")]
    assert list(Instance.objects.filter(owned_by(Instance, "instances", "core"))) == [a]
    assert list(Instance.objects.filter(owned_by(Instance, "instances", "inventory"))) == [b]
    assert list(Instance.objects.filter(owned_by(Instance, "instances", NOT_OWNED))) == [plain]
    monkeypatch.setattr(menu, "OWNERS", [])
    assert (
        Instance.objects.filter(owned_by(Instance, "instances", NOT_OWNED)).count() == 3
    )  # no owners: every row is plain
