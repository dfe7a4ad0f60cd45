"""Fixtures for the ECS tests: the inventory sync tests' accounts, and the sandbox's ECS demo synced into the
inventory (real ARNs, tasks and container instances that are EC2 instances the EC2 sync stores too)."""

import boto3
import pytest
import requests

from fleetui.inventory.sync import sync_scope
from fleetui.sandbox.ecs.seed import ecs_seed
from tests.conftest import fleet_for_module
from tests.inventory.sync.conftest import account, fresh_clients, second_account  # noqa: F401  fixtures

ECS_TYPES = ["ecs_clusters", "ecs_task_definitions", "ecs_container_instances", "ecs_services", "ecs_tasks"]
DELAY = 0.4


def sync(account, resource_type, region="us-east-1"):  # noqa: F811 - a function's argument, not the fixture
    run = sync_scope(account=account, region=region, resource_type=resource_type)
    assert run.status == "succeeded", run.error
    return run


def sync_all(account, region="us-east-1"):  # noqa: F811
    return {name: sync(account, name, region) for name in ["instances", *ECS_TYPES]}


@pytest.fixture
def ecs_client(aws):
    requests.post(f"{aws}/fleetui-sandbox/ecs", json={"delay": DELAY}, timeout=10).raise_for_status()
    return boto3.client("ecs", region_name="us-east-1", endpoint_url=aws)


@pytest.fixture
def demo(ecs_client, aws):
    """The ECS demo in the sandbox (shop-prod in us-east-1, analytics-prod in eu-west-1), settled."""
    return ecs_seed(endpoint=aws)


@pytest.fixture
def synced(demo, account):  # noqa: F811
    """The demo synced into the inventory (EC2 instances too), both regions."""
    for region in ("us-east-1", "eu-west-1"):
        sync_all(account, region)
    return account


@pytest.fixture(scope="module")
def synced_for_module(moto_server, django_db_setup, django_db_blocker):
    """`synced`, made once for a module whose tests only read (tests/conftest.py: fleet_for_module)."""

    def build(owner):
        requests.post(f"{moto_server}/fleetui-sandbox/ecs", json={"delay": DELAY}, timeout=10).raise_for_status()
        ecs_seed(endpoint=moto_server)
        for region in ("us-east-1", "eu-west-1"):
            sync_all(owner, region)
        return owner

    yield from fleet_for_module(moto_server, django_db_blocker, build)
