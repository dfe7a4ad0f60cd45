"""EC2's part of the demo seed (the `seed` and `describe` hooks), and the benchmark's bulk launch.

The demo fleet is DEMO_ACCOUNTS x the demo's regions, each (account, region) seeded by seed_scope.py; then the
backdate control path (backdate.py) spreads AMI creation and instance launch times over past years.
`instances_bulk_seed` launches many plain instances fast for the benchmark.
"""

from __future__ import annotations

import random
from typing import Any

import boto3
import requests

from ..seed import DEMO_ACCOUNTS, DemoSeed, account_session
from .backdate import BACKDATE_PATH
from .seed_reservations import expiring_soon, scope_reservations_seed
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


def _backdate(endpoint: str, account_id: str, scope: Scope, rng: random.Random) -> None:
    payload: dict[str, Any] = {
        "account_id": account_id,
        "region": scope.region,
        "images": scope.backdated_images,
        "instances": launch_times(scope, rng),
    }
    requests.post(f"{endpoint}{BACKDATE_PATH}", json=payload, timeout=60).raise_for_status()


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


def seed(demo: DemoSeed) -> None:
    """The service hook: `demo.instances_per_scope` instances in each (account, region), with their placement
    groups, Elastic IPs and own AMIs."""
    scopes: list[tuple[str, boto3.Session, Scope]] = []
    for account_id, _name, role_arn in DEMO_ACCOUNTS:
        session = account_session(endpoint=demo.endpoint, role_arn=role_arn)
        for region in demo.regions:
            scope = _scope_seed(demo.endpoint, session, account_id, region, demo.instances_per_scope, demo.rng)
            scopes.append((account_id, session, scope))
    # After every other EC2 call and with the same sessions (an AssumeRole draws on moto's seeded RNG), so the ids
    # seeded above and by the services after EC2 stay as they were.
    reserved = 0
    expiring_done = False
    for account_id, session, scope in scopes:
        ec2 = session.client("ec2", region_name=scope.region, endpoint_url=demo.endpoint)
        bought, zonal = scope_reservations_seed(ec2, scope)
        reserved += len(bought)
        if zonal and not expiring_done:  # one reservation in the demo expires soon
            expiring_soon(demo.endpoint, account_id, scope.region, zonal)
            expiring_done = True
    stopped = sum(len(scope.stopped) for _, _, scope in scopes)
    terminated = sum(len(scope.terminated) for _, _, scope in scopes)
    launched = sum(len(scope.instance_ids) for _, _, scope in scopes)
    demo.instances_add(running=launched - stopped - terminated, stopped=stopped, terminated=terminated)
    demo.summary.update(
        elastic_ips=sum(scope.addresses for _, _, scope in scopes),
        unattached_elastic_ips=sum(scope.addresses - scope.associated_addresses for _, _, scope in scopes),
        own_amis=sum(len(scope.images) for _, _, scope in scopes),
        placement_groups=3 * len(scopes),
        reserved_instances=reserved,
    )


def describe(summary: dict[str, Any]) -> str:
    """The service hook: EC2's phrase of the seed line (the instances are the shared part's)."""
    return (
        f"{summary['placement_groups']} placement groups, {summary['elastic_ips']} Elastic IPs "
        f"({summary['unattached_elastic_ips']} unattached), {summary['own_amis']} own AMIs, "
        f"{summary.get('reserved_instances', 0)} Reserved Instance purchases"
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
