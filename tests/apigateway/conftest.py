"""Fixtures for the API Gateway tests: the inventory sync tests' accounts, the demo's three APIs seeded in the
sandbox in front of a running EC2 instance, and sync helpers."""

from typing import Any

import boto3
import pytest

from fleetui.inventory.sync import sync_scope
from fleetui.sandbox.apigateway.seed import apigateway_seed
from tests.inventory.sync.conftest import account, fresh_clients, second_account  # noqa: F401  fixtures
from tests.inventory.sync.fleet import launch

REGION = "us-east-1"
ACCOUNT = "123456789012"
TYPES = ["apigateway_rest_apis", "apigateway_apis", "apigateway_deployments", "apigateway_stages", "apigateway_routes"]


def web_launch(endpoint: str) -> dict[str, Any]:
    """One running EC2 instance for the demo's /health route to call; returns it."""
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    [instance_id] = launch(ec2, instance_type="t3.micro")
    return dict(ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0])


def demo_seed(endpoint: str) -> dict[str, Any]:
    """The EC2 instance and the demo's APIs; returns {"instance", "counts"}."""
    instance = web_launch(endpoint)
    return {"instance": instance, "counts": apigateway_seed(endpoint=endpoint, regions=[REGION])}


@pytest.fixture
def demo(aws) -> dict[str, Any]:
    return demo_seed(aws)


@pytest.fixture
def v1(aws):
    return boto3.client("apigateway", region_name=REGION, endpoint_url=aws)


@pytest.fixture
def v2(aws):
    return boto3.client("apigatewayv2", region_name=REGION, endpoint_url=aws)


def sync(owner, resource_type, region=REGION):
    run = sync_scope(account=owner, region=region, resource_type=resource_type)
    assert run.status == "succeeded", run.error
    return run


def sync_all(owner, region=REGION, types=("instances", *TYPES)):
    return {name: sync(owner, name, region) for name in types}
