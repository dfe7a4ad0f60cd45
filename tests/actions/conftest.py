"""Actions run against the moto sandbox: a fleet launched with boto3 and synced into the inventory."""

from collections.abc import Callable

import pytest
from django.test import Client

from fleetui.inventory.models import Account
from fleetui.inventory.sync import sync_scope
from tests.inventory.sync.fleet import DEFAULT_ID, launch

REGION = "us-east-1"


@pytest.fixture
def account(db) -> Account:
    return Account.objects.create(account_id=DEFAULT_ID, name="default")


@pytest.fixture
def fleet(ec2, account) -> Callable[..., list[str]]:
    """`fleet(n, **run_instances_args)`: launch n instances in the sandbox and sync them; returns their ids."""

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


def state_of(ec2, instance_id: str) -> str:
    return ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["State"]["Name"]
