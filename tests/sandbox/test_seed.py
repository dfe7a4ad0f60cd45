"""The demo fleet: its shape at the real default size, reachability of both accounts, and determinism."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import boto3
import pytest
import requests

from fleetui.sandbox.ec2.seed import instances_bulk_seed
from fleetui.sandbox.seed import (
    DEMO_ACCOUNTS,
    DEMO_REGIONS,
    SECOND_ROLE_ARN,
    account_session,
    fleet_seed,
    sandbox_reset,
)

FAMILIES = {"t3", "m5", "c5", "r5", "x1", "i3", "d2", "p3", "g4dn"}


@pytest.fixture(scope="module")
def seeded(moto_server):
    """The real default demo fleet, seeded once for this module (the `aws` fixture would reset it per test)."""
    summary = fleet_seed(endpoint=moto_server)
    yield moto_server, summary
    requests.post(f"{moto_server}/moto-api/reset", timeout=30)


@pytest.fixture(scope="module")
def fleet(seeded):
    """{(account, region): {"instances": [...], "ec2": client}} read back through boto3."""
    endpoint, _ = seeded
    scopes = {}
    for account_id, _name, role_arn in DEMO_ACCOUNTS:
        session = account_session(endpoint=endpoint, role_arn=role_arn)
        for region in DEMO_REGIONS:
            ec2 = session.client("ec2", region_name=region, endpoint_url=endpoint)
            pages = ec2.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": 1000})
            instances = [i for page in pages for r in page["Reservations"] for i in r["Instances"]]
            scopes[(account_id, region)] = {"instances": instances, "ec2": ec2}
    return scopes


def _all(fleet) -> list[dict]:
    return [i for scope in fleet.values() for i in scope["instances"]]


def test_seeding_is_fast_and_reports_what_it_made(seeded, fleet):
    _, summary = seeded
    assert summary["seconds"] < 60
    assert summary["instances"] == len(_all(fleet)) >= 500
    assert sum(summary["states"].values()) == summary["instances"]


def test_both_accounts_hold_instances_in_every_region(fleet):
    for (account_id, _region), scope in fleet.items():
        assert len(scope["instances"]) >= 80
        owners = {r["OwnerId"] for r in scope["ec2"].describe_instances(MaxResults=5)["Reservations"]}
        assert owners == {account_id}
    assert {account for account, _ in fleet} == {"123456789012", "210987654321"}


def test_reservations_over_and_under_cover_and_one_expires_soon(fleet):
    """In every scope m5 is over-covered (half again the running units) and c5 under-covered (half); one
    zonal r5 reservation in the whole demo ends within 30 days."""
    expiring = 0
    for scope in fleet.values():
        bought = scope["ec2"].describe_reserved_instances()["ReservedInstances"]
        assert {r["State"] for r in bought} == {"active"} and len(bought) >= 3
        by_type = {r["InstanceType"]: r for r in bought if r["Scope"] == "Region"}
        running = [
            i
            for i in scope["instances"]
            if i["State"]["Name"] == "running"
            and "InstanceLifecycle" not in i
            and i.get("Platform") != "windows"
            and (i.get("Placement") or {}).get("Tenancy", "default") == "default"
        ]
        units = {"m5": 0.0, "c5": 0.0}
        sizes = {"large": 4, "xlarge": 8, "2xlarge": 16, "4xlarge": 32}
        for item in running:
            family, _, size = item["InstanceType"].partition(".")
            if family in units:
                units[family] += sizes[size]
        assert by_type["m5.large"]["InstanceCount"] * 4 > units["m5"] > 0
        assert 0 < by_type["c5.large"]["InstanceCount"] * 4 < units["c5"]
        expiring += sum(1 for r in bought if r["End"] < datetime.now(UTC) + timedelta(days=30))
    assert expiring == 1


def test_second_account_is_reached_by_assume_role(seeded):
    endpoint, _ = seeded
    sts = account_session(endpoint=endpoint, role_arn=SECOND_ROLE_ARN).client("sts", endpoint_url=endpoint)
    assert sts.get_caller_identity()["Account"] == "210987654321"
    plain = boto3.client("sts", endpoint_url=endpoint, region_name="us-east-1")
    assert plain.get_caller_identity()["Account"] == "123456789012"


def test_every_family_state_lifecycle_and_tenancy_is_present(fleet):
    instances = _all(fleet)
    assert {i["InstanceType"].split(".")[0] for i in instances} >= FAMILIES
    assert {i["State"]["Name"] for i in instances} == {"running", "stopped", "terminated"}
    lifecycles = Counter(i.get("InstanceLifecycle", "on-demand") for i in instances)
    assert lifecycles["spot"] >= 30 and lifecycles["on-demand"] >= 300
    assert all(i["SpotInstanceRequestId"].startswith("sir-") for i in instances if i.get("InstanceLifecycle"))
    tenancies = Counter(i["Placement"]["Tenancy"] for i in instances)
    assert set(tenancies) == {"default", "dedicated", "host"}
    assert all(i["Placement"]["HostId"].startswith("h-") for i in instances if i["Placement"]["Tenancy"] == "host")


def test_windows_servers_run_sql_server_billed_with_it(fleet):
    """Windows db and search servers run SQL Server bundled with the AMI (on demand, so the Price List prices them),
    and the licensed-sql instances on the dedicated host run SQL Server Standard."""
    instances = _all(fleet)
    platforms = Counter(i["PlatformDetails"] for i in instances)
    assert {"Linux/UNIX", "Windows", "Windows with SQL Server Standard"} <= set(platforms)
    sql = [i for i in instances if "SQL Server" in i["PlatformDetails"]]
    listed = [i for i in sql if i["Placement"]["Tenancy"] != "host"]
    assert listed and all("InstanceLifecycle" not in i for i in sql)  # no spot price exists for SQL Server
    assert {i["UsageOperation"] for i in sql} <= {"RunInstances:0006", "RunInstances:0102"}


def test_instance_types_are_in_the_catalog(fleet):
    ec2 = fleet[("123456789012", "us-east-1")]["ec2"]
    types = sorted({i["InstanceType"] for i in _all(fleet)})
    described = ec2.describe_instance_types(InstanceTypes=types)["InstanceTypes"]
    assert sorted(t["InstanceType"] for t in described) == types
    p3 = next(t for t in described if t["InstanceType"] == "p3.2xlarge")
    assert (p3["VCpuInfo"]["DefaultVCpus"], p3["GpuInfo"]["Gpus"][0]["Count"]) == (8, 1)


def test_placement_groups_of_each_strategy_have_members(fleet):
    for scope in fleet.values():
        groups = scope["ec2"].describe_placement_groups()["PlacementGroups"]
        assert {g["Strategy"] for g in groups} == {"cluster", "spread", "partition"}
        members = Counter(i["Placement"].get("GroupName") for i in scope["instances"])
        assert all(members[g["GroupName"]] >= 3 for g in groups)
        partitions = {i["Placement"].get("PartitionNumber") for i in scope["instances"]} - {None}
        assert partitions == {1, 2, 3}


def test_keys_tags_and_network_findings(fleet):
    instances = _all(fleet)
    assert any("KeyName" not in i for i in instances) and any("KeyName" in i for i in instances)
    tag_keys = [{t["Key"] for t in i.get("Tags", [])} for i in instances]
    for key in ("Name", "Owner", "Env"):
        assert any(key in keys for keys in tag_keys) and any(key not in keys for keys in tag_keys)
    assert any(len(i["NetworkInterfaces"]) >= 2 for i in instances)
    multi = next(i for i in instances if len(i["NetworkInterfaces"]) >= 2)
    assert len({eni["SubnetId"] for eni in multi["NetworkInterfaces"]}) == 2
    assert any(len(i.get("BlockDeviceMappings", [])) >= 2 for i in instances)
    assert any(i.get("Platform") == "windows" for i in instances)


def test_world_open_security_groups(fleet):
    for scope in fleet.values():
        open_ports = set()
        for group in scope["ec2"].describe_security_groups()["SecurityGroups"]:
            for rule in group["IpPermissions"]:
                v4 = any(r["CidrIp"] == "0.0.0.0/0" for r in rule.get("IpRanges", []))
                v6 = any(r["CidrIpv6"] == "::/0" for r in rule.get("Ipv6Ranges", []))
                if v4 or v6:
                    open_ports.add((rule.get("FromPort"), "v4" if v4 else "v6"))
        assert (22, "v4") in open_ports and (3389, "v4") in open_ports and (22, "v6") in open_ports


def test_elastic_ips_and_own_amis(fleet):
    for scope in fleet.values():
        ec2 = scope["ec2"]
        addresses = ec2.describe_addresses()["Addresses"]
        assert sum(1 for a in addresses if "InstanceId" not in a) == 2
        assert sum(1 for a in addresses if "InstanceId" in a) == 2
        images = ec2.describe_images(Owners=["self"])["Images"]
        assert len(images) == 4
        years = sorted(datetime.fromisoformat(i["CreationDate"].replace("Z", "+00:00")).year for i in images)
        assert years[0] <= 2021 and years[-1] == datetime.now(UTC).year  # some old, some new
        image_ids = {i["ImageId"] for i in images}
        assert any(i["ImageId"] in image_ids for i in scope["instances"])


def test_launch_times_are_spread_over_years(fleet):
    years = {i["LaunchTime"].year for i in _all(fleet)}
    assert len(years) >= 3


def test_same_seed_same_fleet_and_other_seed_differs(moto_server, seeded):
    """Runs last in this module: it reseeds the server, at a smaller size and in the one region it reads
    (determinism does not depend on either)."""

    def snapshot(seed: int) -> list[tuple]:
        fleet_seed(endpoint=moto_server, regions=["eu-west-1"], instances_per_scope=25, seed=seed)
        ec2 = account_session(endpoint=moto_server, role_arn=SECOND_ROLE_ARN).client(
            "ec2", region_name="eu-west-1", endpoint_url=moto_server
        )
        instances = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
        return sorted(
            (i["InstanceId"], i["InstanceType"], i["State"]["Name"], str(i["Placement"]), str(i.get("Tags")))
            for i in instances
        )

    first = snapshot(7)
    assert snapshot(7) == first
    assert snapshot(8) != first


def test_bulk_seed_launches_count_in_big_batches(moto_server):
    sandbox_reset(endpoint=moto_server)
    ids = instances_bulk_seed(endpoint=moto_server, region="eu-west-1", count=600, account_role_arn=SECOND_ROLE_ARN)
    assert len(set(ids)) == 600
    ec2 = account_session(endpoint=moto_server, role_arn=SECOND_ROLE_ARN).client(
        "ec2", region_name="eu-west-1", endpoint_url=moto_server
    )
    reservations = ec2.describe_instances(MaxResults=1000)["Reservations"]
    assert len(reservations) == 2  # 500 + 100
    assert len({r["Instances"][0]["InstanceType"] for r in reservations}) >= 2
    sandbox_reset(endpoint=moto_server)
