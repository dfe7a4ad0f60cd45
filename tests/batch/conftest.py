"""Fixtures for the Batch tests: the inventory sync tests' accounts, and the sandbox's Batch demo (environments
with their EC2 instances, queues, job definitions, jobs held in every status) with the job scheduler frozen (a
delay of 1,000 s per step), so nothing moves unless a test says so."""

from typing import Any

import boto3
import pytest
import requests

from fleetui.inventory.sync import sync_scope
from fleetui.sandbox.batch.seed import batch_seed
from tests.inventory.sync.conftest import account, fresh_clients, second_account  # noqa: F401  fixtures

REGION = "us-east-1"
ACCOUNT = "123456789012"
BATCH_TYPES = ["batch_compute_environments", "batch_job_queues", "batch_job_definitions", "batch_jobs"]
FROZEN = 1000.0


def delay_set(endpoint: str, seconds: float) -> None:
    requests.post(f"{endpoint}/fleetui-sandbox/batch", json={"delay": seconds}, timeout=10).raise_for_status()


def job_move(endpoint: str, job_id: str, status: str, *, hold: bool = True, reason: str | None = None) -> None:
    body = {"account_id": ACCOUNT, "region": REGION, "job_id": job_id, "status": status, "hold": hold}
    requests.post(f"{endpoint}/fleetui-sandbox/batch/jobs", json={**body, "reason": reason}, timeout=10)


@pytest.fixture
def batch(aws):
    return boto3.client("batch", region_name=REGION, endpoint_url=aws)


@pytest.fixture
def demo(aws, batch) -> dict[str, Any]:
    return demo_build(aws)


def demo_build(endpoint: str) -> dict[str, Any]:
    """The Batch demo (fleetui.sandbox.batch.seed), frozen: its free-running jobs stay SUBMITTED."""
    delay_set(endpoint, FROZEN)
    return batch_seed(endpoint=endpoint, regions=[REGION])


def sync(owner, resource_type, region=REGION):
    run = sync_scope(account=owner, region=region, resource_type=resource_type)
    assert run.status == "succeeded", run.error
    return run


def sync_all(owner, region=REGION, types=("instances", *BATCH_TYPES)):
    return {name: sync(owner, name, region) for name in types}
