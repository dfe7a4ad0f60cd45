"""Fixtures for the Beanstalk tests: accounts like the inventory sync tests' (the sandbox's default and a second)."""

from collections.abc import Iterator

import pytest

from fleetui.aws import clients_clear
from fleetui.inventory.models import Account
from tests.inventory.sync.fleet import DEFAULT_ID, SECOND_ID, SECOND_ROLE


@pytest.fixture(autouse=True)
def fresh_clients() -> Iterator[None]:
    """A moto reset forgets assumed-role keys, so no cached session may outlive a test."""
    clients_clear()
    yield
    clients_clear()


@pytest.fixture
def account(db) -> Account:
    return Account.objects.create(account_id=DEFAULT_ID, name="default")


@pytest.fixture
def second_account(db) -> Account:
    return Account.objects.create(account_id=SECOND_ID, name="second", role_arn=SECOND_ROLE, external_id="ext-1")
