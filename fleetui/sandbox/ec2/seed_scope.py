"""Seed one (account, region) of the demo fleet through plain boto3 EC2 calls. Used by `seed.py`.

Everything random comes from the caller's `random.Random`, and calls are made in a fixed order, so with moto's
own RNG seeded (`/moto-api/seed`) the same input gives the same fleet, ids included.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from .images import instance_store_image

# family -> (weight, sizes). Sizes are in moto's catalog (p3 via catalog.py); g4 is g4dn, its current sizes.
FAMILIES: dict[str, tuple[int, list[str]]] = {
    "t3": (24, ["t3.micro", "t3.small", "t3.medium", "t3.large"]),
    "m5": (22, ["m5.large", "m5.xlarge", "m5.2xlarge"]),
    "c5": (14, ["c5.large", "c5.xlarge", "c5.4xlarge"]),
    "r5": (12, ["r5.large", "r5.xlarge", "r5.2xlarge"]),
    "i3": (7, ["i3.large", "i3.xlarge"]),
    "d2": (5, ["d2.xlarge", "d2.2xlarge"]),
    "g4dn": (6, ["g4dn.xlarge", "g4dn.2xlarge"]),
    "p3": (5, ["p3.2xlarge", "p3.8xlarge"]),
    "x1": (5, ["x1.16xlarge", "x1.32xlarge"]),
}
APPS = ["web", "api", "worker", "batch", "cache", "db", "etl", "ml", "search", "queue"]
OWNERS = ["alice", "bob", "carol", "dan", "platform-team", "data-team"]
ENVS = ["prod", "staging", "dev", "test"]
# Windows instances of these apps run an edition of SQL Server bundled with the AMI (billed per hour with it), unless
# they are spot (DescribeSpotPriceHistory has no SQL Server products).
SQL_APPS = {"db": "Standard", "search": "Enterprise"}
USER_DATA = "#!/bin/bash\nyum -y update\nsystemctl enable --now amazon-ssm-agent\n"
NOW = datetime(2026, 11, 1, tzinfo=UTC)  # fixed, so backdated dates are deterministic


@dataclass
class Scope:
    """What has been created so far in one (account, region)."""

    region: str
    subnets: dict[str, str] = field(default_factory=dict)  # AZ -> default subnet id
    extra_subnet: str = ""  # a second subnet in the first AZ, for second ENIs
    keys: list[str] = field(default_factory=list)
    groups: dict[str, str] = field(default_factory=dict)  # SG name -> id
    linux_ami: str = ""
    windows_ami: str = ""
    sql_amis: dict[str, str] = field(default_factory=dict)  # SQL Server edition -> Windows AMI bundling it
    host_id: str = ""
    instance_ids: list[str] = field(default_factory=list)
    launched: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> RunInstances' description of it
    stopped: list[str] = field(default_factory=list)
    terminated: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    backdated_images: dict[str, str] = field(default_factory=dict)
    addresses: int = 0
    associated_addresses: int = 0

    @property
    def zones(self) -> list[str]:
        return sorted(self.subnets)


def network_seed(ec2: Any, scope: Scope) -> None:
    """Default subnets per AZ, plus a second subnet in the first AZ (an instance's ENIs share one AZ)."""
    for subnet in ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]:
        scope.subnets[subnet["AvailabilityZone"]] = subnet["SubnetId"]
    vpc_id = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    extra = ec2.create_subnet(VpcId=vpc_id, CidrBlock="172.31.128.0/20", AvailabilityZone=scope.zones[0])
    scope.extra_subnet = extra["Subnet"]["SubnetId"]
    _security_groups_seed(ec2, scope, vpc_id)


def _security_groups_seed(ec2: Any, scope: Scope, vpc_id: str) -> None:
    world4 = [{"CidrIp": "0.0.0.0/0"}]
    world6 = [{"CidrIpv6": "::/0"}]
    rules: dict[str, list[dict[str, Any]]] = {
        "web-public": [_rule(80, world4, world6), _rule(443, world4, world6)],
        "ssh-open-world": [_rule(22, world4)],  # audit finding
        "rdp-open-world": [_rule(3389, world4, world6)],  # audit finding
        "bastion-ssh-v6": [_rule(22, [], world6)],  # audit finding, IPv6 only
        "internal-only": [_rule(0, [{"CidrIp": "10.0.0.0/8"}], [], to_port=65535)],
        "db-private": [_rule(5432, [{"CidrIp": "172.31.0.0/16"}])],
    }
    for name, permissions in rules.items():
        group_id = ec2.create_security_group(GroupName=name, Description=f"fleetui demo: {name}", VpcId=vpc_id)[
            "GroupId"
        ]
        ec2.authorize_security_group_ingress(GroupId=group_id, IpPermissions=permissions)
        scope.groups[name] = group_id


def _rule(port: int, v4: list[dict[str, str]], v6: list[dict[str, str]] | None = None, to_port: int | None = None):
    return {"IpProtocol": "tcp", "FromPort": port, "ToPort": to_port or port, "IpRanges": v4, "Ipv6Ranges": v6 or []}


def fixtures_seed(ec2: Any, scope: Scope, rng: random.Random) -> None:
    """Key pairs, placement groups of each strategy, a Dedicated Host, base AMIs."""
    for name in ("ops", "deploy", f"legacy-{scope.region}"):
        ec2.create_key_pair(KeyName=name)
        scope.keys.append(name)
    ec2.create_placement_group(GroupName="hpc-cluster", Strategy="cluster")
    ec2.create_placement_group(GroupName="db-spread", Strategy="spread")
    ec2.create_placement_group(GroupName="kafka-partition", Strategy="partition", PartitionCount=3)
    hosts = ec2.allocate_hosts(AvailabilityZone=scope.zones[0], InstanceType="m5.large", Quantity=1, AutoPlacement="on")
    scope.host_id = hosts["HostIds"][0]
    linux = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*x86_64*"]}])
    windows = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "platform", "Values": ["windows"]}])
    scope.linux_ami = sorted(image["ImageId"] for image in linux["Images"])[0]
    scope.windows_ami = sorted(image["ImageId"] for image in windows["Images"])[0]
    for edition in SQL_APPS.values():
        name = f"Windows_Server-2016-English-Full-SQL_2016_SP1_{edition}-*"
        sql = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": [name]}])
        scope.sql_amis[edition] = sorted(image["ImageId"] for image in sql["Images"])[0]


def _tags(rng: random.Random, app: str) -> list[dict[str, str]]:
    """Name, Owner and Env, each sometimes missing (an audit finding of its own)."""
    tags = []
    if rng.random() > 0.08:
        tags.append({"Key": "Name", "Value": f"{app}-{rng.randrange(1, 60):02d}"})
    if rng.random() > 0.15:
        tags.append({"Key": "Owner", "Value": rng.choice(OWNERS)})
    if rng.random() > 0.10:
        tags.append({"Key": "Env", "Value": rng.choice(ENVS)})
    tags.append({"Key": "App", "Value": app})
    return tags


def _instance_type(rng: random.Random, family: str | None = None) -> str:
    if family is None:
        names = list(FAMILIES)
        family = rng.choices(names, weights=[FAMILIES[n][0] for n in names])[0]
    return rng.choice(FAMILIES[family][1])


def _launch(ec2: Any, scope: Scope, count: int, **params: Any) -> list[str]:
    params.setdefault("ImageId", scope.linux_ami)
    reservation = ec2.run_instances(MinCount=count, MaxCount=count, **params)
    ids = [instance["InstanceId"] for instance in reservation["Instances"]]
    scope.instance_ids.extend(ids)
    scope.launched.update((instance["InstanceId"], instance) for instance in reservation["Instances"])
    return ids


def _batch_params(scope: Scope, rng: random.Random, family: str | None) -> dict[str, Any]:
    """One run_instances call's worth of varied, realistic parameters."""
    app = rng.choice(APPS)
    windows = rng.random() < 0.1
    zone = rng.choice(scope.zones)
    groups = [scope.groups["rdp-open-world" if windows else rng.choice(["web-public", "ssh-open-world"])]]
    if rng.random() < 0.5:
        groups.append(scope.groups[rng.choice(["internal-only", "db-private", "bastion-ssh-v6"])])
    params: dict[str, Any] = {
        "InstanceType": _instance_type(rng, family),
        "ImageId": scope.windows_ami if windows else scope.linux_ami,
        "SubnetId": scope.subnets[zone],
        "SecurityGroupIds": groups,
        "TagSpecifications": [{"ResourceType": "instance", "Tags": _tags(rng, app)}],
        "BlockDeviceMappings": [
            {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": rng.choice([8, 20, 50]), "VolumeType": "gp3"}},
        ],
    }
    if rng.random() < 0.35:
        size = rng.choice([100, 200, 500])
        params["BlockDeviceMappings"].append(
            {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": size, "VolumeType": "gp3"}}
        )
    if rng.random() > 0.15:  # some instances have no key pair
        params["KeyName"] = rng.choice(scope.keys)
    if rng.random() < 0.3:
        params["UserData"] = USER_DATA
    roll = rng.random()
    if roll < 0.22:
        params["InstanceMarketOptions"] = {"MarketType": "spot", "SpotOptions": {"SpotInstanceType": "one-time"}}
    elif roll < 0.30:
        params["Placement"] = {"Tenancy": "dedicated"}
    if windows and app in SQL_APPS and "InstanceMarketOptions" not in params:
        params["ImageId"] = scope.sql_amis[SQL_APPS[app]]
    return params


def special_instances_seed(ec2: Any, scope: Scope) -> None:
    """Placement-group members of each strategy, host tenancy, and multi-ENI instances."""
    first = scope.zones[0]
    tags = [
        {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "hpc-node"}, {"Key": "Env", "Value": "prod"}]}
    ]
    _launch(
        ec2, scope, 4, InstanceType="c5.4xlarge", SubnetId=scope.subnets[first],
        Placement={"GroupName": "hpc-cluster"}, TagSpecifications=tags, KeyName=scope.keys[0],
    )  # fmt: skip
    for zone in scope.zones[:3]:
        tags = [
            {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "db"}, {"Key": "Owner", "Value": "dba"}]}
        ]
        _launch(
            ec2, scope, 1, InstanceType="r5.2xlarge", SubnetId=scope.subnets[zone],
            Placement={"GroupName": "db-spread"}, TagSpecifications=tags, SecurityGroupIds=[scope.groups["db-private"]],
        )  # fmt: skip
    tags = [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "kafka"}, {"Key": "Env", "Value": "prod"}]}]
    _launch(
        ec2, scope, 6, InstanceType="i3.xlarge", SubnetId=scope.subnets[first],
        Placement={"GroupName": "kafka-partition"}, TagSpecifications=tags, KeyName=scope.keys[1],
    )  # fmt: skip
    tags = [
        {
            "ResourceType": "instance",
            "Tags": [{"Key": "Name", "Value": "licensed-sql"}, {"Key": "Env", "Value": "prod"}],
        }
    ]
    _launch(
        ec2, scope, 2, InstanceType="m5.large", ImageId=scope.sql_amis["Standard"], SubnetId=scope.subnets[first],
        Placement={"Tenancy": "host", "HostId": scope.host_id}, TagSpecifications=tags,
    )  # fmt: skip
    nics = [
        {"DeviceIndex": 0, "SubnetId": scope.subnets[first], "Groups": [scope.groups["web-public"]]},
        {"DeviceIndex": 1, "SubnetId": scope.extra_subnet, "Groups": [scope.groups["internal-only"]]},
    ]
    tags = [
        {"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "gateway"}, {"Key": "Owner", "Value": "netops"}]}
    ]
    _launch(ec2, scope, 2, InstanceType="c5.xlarge", NetworkInterfaces=nics, TagSpecifications=tags)
    # Booted from an instance-store-backed AMI: EC2 cannot stop them (UnsupportedOperation), only reboot or terminate.
    tags = [{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": "scratch"}, {"Key": "Env", "Value": "dev"}]}]
    _launch(
        ec2, scope, 2, InstanceType="d2.xlarge", ImageId=instance_store_image(ec2), SubnetId=scope.subnets[first],
        TagSpecifications=tags,
    )  # fmt: skip


def fleet_instances_seed(ec2: Any, scope: Scope, rng: random.Random, total: int) -> None:
    """Launch varied batches until the scope holds `total` instances; the first batches cover every family."""
    families: list[str | None] = list(FAMILIES)
    while len(scope.instance_ids) < total:
        family = families.pop(0) if families else None
        count = min(rng.randint(1, 6), total - len(scope.instance_ids))
        _launch(ec2, scope, count, **_batch_params(scope, rng, family))


def images_seed(ec2: Any, scope: Scope, rng: random.Random) -> None:
    """Own AMIs from running instances; two are backdated (via the sandbox's backdate endpoint: no AWS API can set
    CreationDate) so the AMI list has old images."""
    sources = scope.instance_ids[:4]
    for index, instance_id in enumerate(sources):
        image_id = ec2.create_image(InstanceId=instance_id, Name=f"golden-{scope.region}-{index}", NoReboot=True)[
            "ImageId"
        ]
        scope.images.append(image_id)
    for image_id, years in zip(scope.images[:2], (6, 3), strict=True):
        scope.backdated_images[image_id] = (NOW - timedelta(days=365 * years + rng.randrange(90))).isoformat()
    # A batch launched from an own AMI, so instances reference it.
    _launch(ec2, scope, 2, ImageId=scope.images[0], InstanceType="m5.large", SubnetId=scope.subnets[scope.zones[0]])


def _unstoppable(ec2: Any, ids: list[str]) -> set[str]:
    """Instances EC2 cannot stop: an instance-store root, or spot (every demo spot request is one-time)."""
    pages = ec2.get_paginator("describe_instances").paginate(Filters=[{"Name": "instance-id", "Values": ids}])
    found = [i for page in pages for r in page["Reservations"] for i in r["Instances"]]
    return {i["InstanceId"] for i in found if i.get("RootDeviceType") == "instance-store" or i.get("InstanceLifecycle")}


def states_seed(ec2: Any, scope: Scope, rng: random.Random) -> None:
    """Stop about 15% and terminate about 7% of the instances (placement-group members included); only instances
    EC2 can stop are stopped."""
    ids = list(scope.instance_ids)
    rng.shuffle(ids)
    cut_stop, cut_term = int(len(ids) * 0.15), int(len(ids) * 0.22)
    unstoppable = _unstoppable(ec2, ids)
    stoppable = [i for i in ids if i not in unstoppable]
    scope.stopped = sorted(stoppable[:cut_stop])
    scope.terminated = sorted([i for i in ids if i not in scope.stopped][: cut_term - cut_stop])
    ec2.stop_instances(InstanceIds=scope.stopped)
    ec2.terminate_instances(InstanceIds=scope.terminated)


def addresses_seed(ec2: Any, scope: Scope) -> None:
    """Four Elastic IPs: two associated with running instances, two left unattached (they still cost money)."""
    gone = set(scope.stopped) | set(scope.terminated)
    running = [i for i in scope.instance_ids if i not in gone]
    for index in range(4):
        allocation = ec2.allocate_address(Domain="vpc")
        if index < 2:
            ec2.associate_address(AllocationId=allocation["AllocationId"], InstanceId=running[index * 7])
            scope.associated_addresses += 1
        scope.addresses += 1


def launch_times(scope: Scope, rng: random.Random) -> dict[str, str]:
    """Launch times spread over the last three years, for the backdate endpoint."""
    return {i: (NOW - timedelta(minutes=rng.randrange(60, 3 * 365 * 24 * 60))).isoformat() for i in scope.instance_ids}
