"""Demo fleet seeding through plain boto3 calls against a running sandbox server.

`fleet_seed` builds 2 accounts x 3 regions of realistic EC2 state; `instances_bulk_seed` launches many plain
instances fast for the benchmark. Both talk only to the given endpoint with fake keys, never to real AWS.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from typing import Any

import boto3
import requests

from .beanstalk_seed import beanstalk_seed
from .seed_scope import (
    FAMILIES,
    OWNERS,
    Scope,
    addresses_seed,
    fixtures_seed,
    fleet_instances_seed,
    images_seed,
    launch_times,
    network_seed,
    special_instances_seed,
    states_seed,
)

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


def _backdate(endpoint: str, account_id: str, scope: Scope, rng: random.Random) -> None:
    payload: dict[str, Any] = {
        "account_id": account_id,
        "region": scope.region,
        "images": scope.backdated_images,
        "instances": launch_times(scope, rng),
    }
    requests.post(f"{endpoint}/fleetui-sandbox/backdate", json=payload, timeout=60).raise_for_status()


def _scope_seed(endpoint: str, session: boto3.Session, account_id: str, region: str, count: int, rng: random.Random):
    ec2 = session.client("ec2", region_name=region, endpoint_url=endpoint)
    scope = Scope(region=region)
    network_seed(ec2, scope)
    fixtures_seed(ec2, scope, rng)
    special_instances_seed(ec2, scope)
    images_seed(ec2, scope, rng)
    fleet_instances_seed(ec2, scope, rng, count)
    states_seed(ec2, scope, rng)
    addresses_seed(ec2, scope)
    _backdate(endpoint, account_id, scope, rng)
    return scope


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
    rng = random.Random(seed)
    scopes: list[tuple[str, Scope]] = []
    for account_id, _name, role_arn in DEMO_ACCOUNTS:
        session = account_session(endpoint=endpoint, role_arn=role_arn)
        for region in regions:
            scopes.append((account_id, _scope_seed(endpoint, session, account_id, region, instances_per_scope, rng)))
    beanstalk = beanstalk_seed(endpoint=endpoint)  # its environments' instances are running instances too
    instances = sum(len(scope.instance_ids) for _, scope in scopes) + beanstalk["instances"]
    stopped = sum(len(scope.stopped) for _, scope in scopes)
    terminated = sum(len(scope.terminated) for _, scope in scopes)
    return {
        "accounts": [account_id for account_id, _name, _role in DEMO_ACCOUNTS],
        "regions": regions,
        "instances": instances,
        "states": {"running": instances - stopped - terminated, "stopped": stopped, "terminated": terminated},
        "elastic_ips": sum(scope.addresses for _, scope in scopes),
        "unattached_elastic_ips": sum(scope.addresses - scope.associated_addresses for _, scope in scopes),
        "own_amis": sum(len(scope.images) for _, scope in scopes),
        "placement_groups": 3 * len(scopes),
        "beanstalk": beanstalk,
        "seconds": round(time.monotonic() - started, 1),
    }


def fleet_seed_describe(summary: dict[str, Any]) -> str:
    """One line for people: what `fleet_seed` created."""
    states = summary["states"]
    return (
        f"{summary['instances']} instances ({states['running']} running, {states['stopped']} stopped, "
        f"{states['terminated']} terminated) in {len(summary['accounts'])} accounts x {len(summary['regions'])} "
        f"regions, {summary['placement_groups']} placement groups, {summary['elastic_ips']} Elastic IPs "
        f"({summary['unattached_elastic_ips']} unattached), {summary['own_amis']} own AMIs, "
        f"{summary['beanstalk']['environments']} Beanstalk environments of {summary['beanstalk']['applications']} "
        f"applications, "
        f"in {summary['seconds']} s"
    )


def instances_bulk_seed(
    *, endpoint: str, region: str, count: int, account_role_arn: str | None = None, batch: int = 500, seed: int = 7
) -> list[str]:
    """Launch `count` running instances in `region` fast (up to `batch` per RunInstances call), with varied
    types and Name/Owner/Env tags. Does not reset the sandbox. Returns the instance ids."""
    session = account_session(endpoint=endpoint, role_arn=account_role_arn or "", region=region)
    ec2 = session.client("ec2", region_name=region, endpoint_url=endpoint)
    image_id = sorted(
        image["ImageId"]
        for image in ec2.describe_images(
            Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*x86_64*"]}]
        )["Images"]
    )[0]
    rng = random.Random(seed)
    types = [size for _weight, sizes in FAMILIES.values() for size in sizes]
    ids: list[str] = []
    while len(ids) < count:
        n = min(batch, count - len(ids))
        tags = [
            {"Key": "Name", "Value": f"bulk-{len(ids) // batch:04d}"},
            {"Key": "Owner", "Value": rng.choice(OWNERS)},
            {"Key": "Env", "Value": rng.choice(["prod", "dev"])},
        ]
        reservation = ec2.run_instances(
            ImageId=image_id,
            InstanceType=rng.choice(types),
            MinCount=n,
            MaxCount=n,
            TagSpecifications=[{"ResourceType": "instance", "Tags": tags}],
        )
        ids.extend(instance["InstanceId"] for instance in reservation["Instances"])
    return ids


def fleet_count(*, endpoint: str) -> Counter[str]:
    """Instances per state over DEMO_ACCOUNTS x DEMO_REGIONS (a quick check for people and tests)."""
    counts: Counter[str] = Counter()
    for _account, _name, role_arn in DEMO_ACCOUNTS:
        session = account_session(endpoint=endpoint, role_arn=role_arn)
        for region in DEMO_REGIONS:
            ec2 = session.client("ec2", region_name=region, endpoint_url=endpoint)
            for page in ec2.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": 1000}):
                for reservation in page["Reservations"]:
                    counts.update(instance["State"]["Name"] for instance in reservation["Instances"])
    return counts
