"""The demo seed's driver: plain boto3 calls against a running sandbox server, never real AWS (fake keys).

`fleet_seed` resets the sandbox and calls every service package's `seed(demo)` hook (services.py) in hook order,
with one `DemoSeed`: the demo's accounts (DEMO_ACCOUNTS, `account_session`) and regions, one RNG, and the summary
that each adds its counts to. `fleet_seed_describe` joins the services' `describe(summary)` phrases in one line.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

import boto3
import requests

from .services import service_hooks

FAKE_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
DEFAULT_ACCOUNT = "123456789012"
SECOND_ACCOUNT = "210987654321"
SECOND_ROLE_ARN = f"arn:aws:iam::{SECOND_ACCOUNT}:role/fleetui-readonly"
# (account id, display name, role ARN to assume, or "" for the ambient credentials)
DEMO_ACCOUNTS: list[tuple[str, str, str]] = [
    (DEFAULT_ACCOUNT, "demo-production", ""),
    (SECOND_ACCOUNT, "demo-analytics", SECOND_ROLE_ARN),
]
DEMO_REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"]


def account_session(*, endpoint: str, role_arn: str = "", region: str = "us-east-1") -> boto3.Session:
    """A session in the ambient account (fake keys), or in the role's account via STS AssumeRole: moto maps
    assumed-role credentials to the account in the role ARN."""
    if not role_arn:
        return boto3.Session(region_name=region, **FAKE_KEYS)
    sts = boto3.client("sts", region_name=region, endpoint_url=endpoint, **FAKE_KEYS)
    creds = sts.assume_role(RoleArn=role_arn, RoleSessionName="fleetui-sandbox-seed")["Credentials"]
    return boto3.Session(
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        region_name=region,
    )


def sandbox_reset(*, endpoint: str, seed: int | None = None) -> None:
    """Clear all moto state and faults; with `seed`, make moto's generated ids deterministic from here on."""
    requests.post(f"{endpoint}/moto-api/reset", timeout=60).raise_for_status()
    if seed is not None:
        requests.post(f"{endpoint}/moto-api/seed", params={"a": seed}, timeout=60).raise_for_status()


@dataclass
class DemoSeed:
    """What a service's seed hook gets. Everything random comes from `rng`, and calls are made in a fixed order, so
    with moto's own RNG seeded the same input gives the same demo, ids included."""

    endpoint: str
    regions: list[str]
    instances_per_scope: int  # the size of the fleet: EC2 instances per (account, region)
    rng: random.Random
    summary: dict[str, Any]

    def instances_add(self, *, running: int = 0, stopped: int = 0, terminated: int = 0) -> None:
        """Add EC2 instances a service launched to the fleet's totals (its own, or those behind its resources)."""
        states = self.summary["states"]
        states["running"] += running
        states["stopped"] += stopped
        states["terminated"] += terminated
        self.summary["instances"] += running + stopped + terminated


def fleet_seed(
    *,
    endpoint: str,
    regions: list[str] | None = None,
    instances_per_scope: int = 90,
    seed: int = 42,
) -> dict[str, Any]:
    """Reset the sandbox and seed the demo fleet: DEMO_ACCOUNTS x `regions` (default DEMO_REGIONS), each scope
    with `instances_per_scope` instances (540 by default). Deterministic for a given input. Returns a summary."""
    started = time.monotonic()
    regions = list(regions or DEMO_REGIONS)
    sandbox_reset(endpoint=endpoint, seed=seed)
    summary: dict[str, Any] = {
        "accounts": [account_id for account_id, _name, _role in DEMO_ACCOUNTS],
        "regions": regions,
        "instances": 0,
        "states": {"running": 0, "stopped": 0, "terminated": 0},
    }
    demo = DemoSeed(
        endpoint=endpoint,
        regions=regions,
        instances_per_scope=instances_per_scope,
        rng=random.Random(seed),
        summary=summary,
    )
    for service_seed in service_hooks("seed"):
        service_seed(demo)
    summary["seconds"] = round(time.monotonic() - started, 1)
    return summary


def fleet_seed_describe(summary: dict[str, Any]) -> str:
    """One line for people: what `fleet_seed` created."""
    states = summary["states"]
    fleet = (
        f"{summary['instances']} instances ({states['running']} running, {states['stopped']} stopped, "
        f"{states['terminated']} terminated) in {len(summary['accounts'])} accounts x {len(summary['regions'])} "
        "regions"
    )
    services = [describe(summary) for describe in service_hooks("describe")]
    return ", ".join([fleet, *services, f"in {summary['seconds']} s"])
