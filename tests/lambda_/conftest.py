"""Fixtures for the Lambda tests: the inventory sync tests' accounts, and the sandbox's Lambda demo of us-east-1
(fleetui.sandbox.lambda_.seed) with the update delay at 0 unless a test sets it."""

from typing import Any

import boto3
import pytest
import requests

from fleetui.inventory.sync import sync_scope
from fleetui.sandbox.lambda_.seed import lambda_seed
from tests.inventory.sync.conftest import account, fresh_clients, second_account  # noqa: F401  fixtures

REGION = "us-east-1"
ACCOUNT = "123456789012"
LAMBDA_TYPES = ["lambda_functions", "lambda_event_source_mappings"]


def delay_set(endpoint: str, seconds: float) -> None:
    requests.post(f"{endpoint}/fleetui-sandbox/lambda_", json={"delay": seconds}, timeout=10).raise_for_status()


@pytest.fixture
def lam(aws):
    delay_set(aws, 0)
    return boto3.client("lambda", region_name=REGION, endpoint_url=aws)


@pytest.fixture
def demo(aws, lam) -> dict[str, Any]:
    return lambda_seed(endpoint=aws, regions=[REGION])


def sync(owner, resource_type, region=REGION):
    run = sync_scope(account=owner, region=region, resource_type=resource_type)
    assert run.status == "succeeded", run.error
    return run


def sync_all(owner, region=REGION, types=("security_groups", *LAMBDA_TYPES)):
    return {name: sync(owner, name, region) for name in types}
