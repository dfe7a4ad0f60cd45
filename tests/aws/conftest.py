from collections.abc import Iterator

import pytest

from fleetui.aws import clients_clear


@pytest.fixture(autouse=True)
def fresh_clients() -> Iterator[None]:
    """A moto reset forgets assumed-role keys, so no cached session may outlive a test."""
    clients_clear()
    yield
    clients_clear()
