"""Fixtures for the history's tests: an account and a fresh client cache (a moto reset forgets assumed roles)."""

from collections.abc import Iterator

import pytest

from fleetui.aws import clients_clear
from fleetui.inventory.models import Account

REGION = "us-east-1"


@pytest.fixture(autouse=True)
def fresh_clients() -> Iterator[None]:
    clients_clear()
    yield
    clients_clear()


@pytest.fixture
def account(db) -> Account:
    return Account.objects.create(account_id="123456789012", name="default")
