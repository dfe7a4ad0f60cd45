# ruff: noqa: F811  (the fixtures imported above are parameters here, as pytest wants)
"""Fixtures for the CloudFormation tests: the sandbox's CloudFormation demo (fleetui.sandbox.stacks.seed: the SAM
stack orders-sam, web-frontend with its security group and instance, network-baseline with termination protection,
billing-etl in UPDATE_ROLLBACK_FAILED), seeded once per module for the tests that only read it, and the sync of
what the links need (EC2's instances and security groups) and of the three CloudFormation types."""

from collections.abc import Iterator

import pytest
import requests

from fleetui.aws import clients_clear
from fleetui.inventory.sync import sync_scope
from fleetui.sandbox.stacks.seed import stacks_seed
from tests.actions.conftest import operator_client  # noqa: F401  fixture
from tests.inventory.sync.conftest import account  # noqa: F401  fixture

REGION = "us-east-1"
ACCOUNT = "123456789012"
STACK_TYPES = ["stacks_stacks", "stacks_resources", "stacks_events"]
LINKED_TYPES = ["instances", "security_groups"]


def sandbox_reset(endpoint: str) -> None:
    requests.post(f"{endpoint}/moto-api/reset", timeout=30).raise_for_status()
    clients_clear()


@pytest.fixture(scope="module")
def seeded(moto_server: str) -> Iterator[str]:
    """The demo in a clean sandbox, for a module whose tests do not change it; drift detections take no time."""
    sandbox_reset(moto_server)
    stacks_seed(endpoint=moto_server, regions=[REGION])
    requests.post(f"{moto_server}/fleetui-sandbox/stacks", json={"delay": 0}, timeout=10).raise_for_status()
    yield moto_server
    sandbox_reset(moto_server)


def sync(owner, resource_type, region=REGION):
    run = sync_scope(account=owner, region=region, resource_type=resource_type)
    assert run.status == "succeeded", run.error
    return run


def sync_all(owner, types=(*LINKED_TYPES, *STACK_TYPES)):
    return {name: sync(owner, name) for name in types}


@pytest.fixture
def synced(seeded, account):
    return sync_all(account)
