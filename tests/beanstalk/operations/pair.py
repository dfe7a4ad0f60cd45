"""A blue/green pair built in the sandbox with plain boto3, then synced: what the Beanstalk action tests start from."""

from __future__ import annotations

import time
from dataclasses import dataclass

import boto3
import requests

from fleetui.inventory.models import Account
from fleetui.inventory.sync import sync_scope

REGION = "us-east-1"
APP = "shop"
EB_TYPES = ("eb_applications", "eb_versions", "eb_environments")


@dataclass
class Pair:
    eb: object
    blue: str  # holds shop.us-east-1.elasticbeanstalk.com (production) on v1
    green: str  # holds shop-green... on v2
    worker: str

    def cnames(self) -> dict[str, str]:
        envs = self.eb.describe_environments(EnvironmentIds=[self.blue, self.green])["Environments"]  # type: ignore[attr-defined]
        return {env["EnvironmentId"]: env.get("CNAME", "") for env in envs}

    def status(self, environment_id: str) -> str:
        envs = self.eb.describe_environments(EnvironmentIds=[environment_id])["Environments"]  # type: ignore[attr-defined]
        return envs[0]["Status"]


def sandbox_delay(endpoint: str, seconds: float) -> None:
    requests.post(f"{endpoint}/fleetui-sandbox/beanstalk", json={"delay": seconds}, timeout=10).raise_for_status()


def sandbox_health(endpoint: str, environment: str, health: str, status: str) -> None:
    body = {"account_id": "123456789012", "region": REGION, "environment": environment}
    body.update(health=health, health_status=status)
    requests.post(f"{endpoint}/fleetui-sandbox/beanstalk/health", json=body, timeout=10).raise_for_status()


def wait_ready(pair: Pair, *ids: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while any(pair.status(eid) != "Ready" for eid in ids):
        assert time.monotonic() < deadline, "the sandbox environments did not become Ready"
        time.sleep(0.05)


def pair_build(endpoint: str, account: Account, *, delay: float = 0.3) -> Pair:
    eb = boto3.client("elasticbeanstalk", region_name=REGION, endpoint_url=endpoint)
    sandbox_delay(endpoint, 0)
    eb.create_application(ApplicationName=APP)
    for label in ("v1", "v2", "v3"):
        eb.create_application_version(ApplicationName=APP, VersionLabel=label)
    stack = "64bit Amazon Linux 2023 v4.6.0 running Python 3.11"
    web = {"Name": "WebServer", "Type": "Standard"}
    blue = eb.create_environment(
        ApplicationName=APP, EnvironmentName="shop-blue", CNAMEPrefix="shop", VersionLabel="v1",
        SolutionStackName=stack, Tier=web,
    )["EnvironmentId"]  # fmt: skip
    green = eb.create_environment(
        ApplicationName=APP, EnvironmentName="shop-green", CNAMEPrefix="shop-green", VersionLabel="v2",
        SolutionStackName=stack, Tier=web,
    )["EnvironmentId"]  # fmt: skip
    worker = eb.create_environment(
        ApplicationName=APP, EnvironmentName="shop-worker", VersionLabel="v2", SolutionStackName=stack,
        Tier={"Name": "Worker", "Type": "SQS/HTTP"},
    )["EnvironmentId"]  # fmt: skip
    pair = Pair(eb, blue, green, worker)
    wait_ready(pair, blue, green, worker)
    sandbox_delay(endpoint, delay)
    for resource_type in EB_TYPES:
        sync_scope(account=account, region=REGION, resource_type=resource_type)
    return pair
