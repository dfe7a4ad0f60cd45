"""Fixtures for the history's tests: an account and a fresh client cache (a moto reset forgets assumed roles)."""

from collections.abc import Iterator

import pytest
from django.test import Client

from fleetui.aws import clients_clear
from fleetui.inventory.models import Account
from fleetui.inventory.sync import sync_scope
from tests.inventory.sync.fleet import launch

REGION = "us-east-1"


@pytest.fixture(autouse=True)
def fresh_clients() -> Iterator[None]:
    clients_clear()
    yield
    clients_clear()


@pytest.fixture
def account(db) -> Account:
    return Account.objects.create(account_id="123456789012", name="default")


@pytest.fixture
def fleet(ec2, account):
    """`fleet(n)`: launch n instances in the sandbox and sync them; returns their ids."""

    def make(count: int = 2, **extra) -> list[str]:
        ids = launch(ec2, count, **extra)
        sync_scope(account=account, region=REGION, resource_type="instances")
        return ids

    return make


@pytest.fixture
def operator_client(operator) -> Client:
    client = Client()
    client.force_login(operator)
    return client
