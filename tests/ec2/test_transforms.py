"""The pure transforms, on canned DescribeX payloads: AWS dict -> model field values."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fleetui.ec2 import transforms as t
from fleetui.ec2.catalog import TypeFacts, instance_type_fields, storage_text
from fleetui.ec2.models import (
    ElasticIP,
    Image,
    Instance,
    InstanceType,
    KeyPair,
    ListPrice,
    NetworkInterface,
    PlacementGroup,
    SecurityGroup,
    Volume,
)
from fleetui.inventory.sync.load import BOOKKEEPING

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str):
    return json.loads((PAYLOADS / name).read_text())


def synced_fields(model) -> set[str]:
    skip = BOOKKEEPING | {"account_id", "region"} | set(getattr(model, "DERIVED_FIELDS", ()))  # computed, not synced
    return {f.attname for f in model._meta.concrete_fields if f.attname not in skip}


def test_spot_instance_on_a_host_in_a_partition():
    row = t.instance_fields(payload("instance_spot_host.json"))
    assert row["instance_id"] == "i-0abc1234def567890"
    assert row["name"] == "Trainer-01"
    assert (row["state"], row["availability_zone"]) == ("running", "eu-west-1b")
    assert (row["instance_type_id"], row["family"], row["category"]) == ("p3.2xlarge", "p3", "accelerated_computing")
    assert (row["lifecycle"], row["spot_request_id"]) == ("spot", "sir-abcd1234")
    assert (row["tenancy"], row["host_id"]) == ("host", "h-0123456789abcdef0")
    assert (row["placement_group"], row["partition_number"]) == ("training", 3)
    assert row["launch_time"] == datetime(2024, 3, 1, 10, 20, 30, tzinfo=UTC)
    assert (row["private_ip"], row["public_ip"]) == ("10.0.1.15", "34.240.1.2")
    # Groups of the instance and of every ENI, sorted by id; volumes sorted.
    assert row["security_groups"] == [{"id": "sg-1", "name": "Admin"}, {"id": "sg-2", "name": "web"}]
    assert row["eni_count"] == 2
    assert row["volume_ids"] == ["vol-a", "vol-b"]
    assert row["iam_instance_profile"].endswith("instance-profile/trainer")
    assert row["tags"] == {"Name": "Trainer-01", "Env": "Prod"}
    assert row["platform"] == "Linux/UNIX"
    for word in ["i-0abc1234def567890", "trainer-01", "10.0.1.15", "34.240.1.2", "env", "prod", "sg-1", "sg-2"]:
        assert word in row["search_text"].split()
    assert row["search_text"] == row["search_text"].lower()


def test_instance_without_lifecycle_is_on_demand_and_blanks_are_empty_not_none():
    row = t.instance_fields(payload("instance_minimal.json"))
    assert row["lifecycle"] == "on-demand"
    assert (row["tenancy"], row["placement_group"], row["partition_number"]) == ("default", "", None)
    assert (row["key_name"], row["name"], row["spot_request_id"], row["host_id"]) == ("", "", "", "")
    assert (row["private_ip"], row["public_ip"]) == (None, None)
    assert (row["family"], row["category"]) == ("t3", "general_purpose")
    assert row["search_text"] == "i-0000000000000000f"


def test_the_catalog_category_wins_for_instances():
    row = t.instance_fields(payload("instance_minimal.json"), {"t3.micro": TypeFacts("compute_optimized")})
    assert row["category"] == "compute_optimized"
    assert (row["instance_store_volumes"], row["has_instance_store"]) == ([], False)


I3_DISKS = [{"count": 1, "size_gb": 475, "type": "ssd", "nvme": True}]


def test_an_instance_keeps_its_types_instance_store_and_its_root_device_type():
    raw = {**payload("instance_minimal.json"), "InstanceType": "i3.large", "RootDeviceType": "ebs"}
    row = t.instance_fields(raw, {"i3.large": TypeFacts("storage_optimized", I3_DISKS)})
    assert (row["root_device_type"], row["instance_store_volumes"], row["has_instance_store"]) == (
        "ebs",
        I3_DISKS,
        True,
    )
    assert storage_text(row["instance_store_volumes"]) == "1 × 475 GB NVMe SSD"


def test_an_instance_store_root_is_one_of_the_instance_store_volumes():
    raw = {**payload("instance_minimal.json"), "RootDeviceType": "instance-store", "RootDeviceName": "/dev/sda1"}
    disks = [{"count": 3, "size_gb": 2048, "type": "hdd", "nvme": False}]
    row = t.instance_fields({**raw, "InstanceType": "d2.xlarge"}, {"d2.xlarge": TypeFacts("storage_optimized", disks)})
    assert row["instance_store_volumes"] == [{"root": True, "device": "/dev/sda1"}, *disks]
    assert storage_text(row["instance_store_volumes"]) == "root volume /dev/sda1 + 3 × 2048 GB HDD"


def test_instance_types_with_hardware_as_tie_breaker():
    rows = {r["name"]: r for r in map(instance_type_fields, payload("instance_types.json"))}
    g4 = rows["g4dn.xlarge"]
    assert (g4["family"], g4["category"], g4["gpus"], g4["gpu_memory_mib"]) == (
        "g4dn",
        "accelerated_computing",
        1,
        16384,
    )
    assert (g4["vcpus"], g4["memory_mib"], g4["instance_storage_gb"]) == (4, 16384, 125)
    assert g4["network_performance"] == "Up to 25 Gigabit"
    # `inf` is matched before `i` (storage), and its accelerator confirms it.
    assert (rows["inf1.xlarge"]["category"], rows["inf1.xlarge"]["accelerators"]) == ("accelerated_computing", 1)
    assert rows["m5.large"]["category"] == "general_purpose"
    assert rows["i3.large"]["category"] == "storage_optimized"
    # An unknown prefix is classified by its memory per vCPU (16 GiB per vCPU: memory optimized).
    assert (rows["qq9.large"]["category"], rows["qq9.large"]["current_generation"]) == ("memory_optimized", False)
    assert rows["qq9.large"]["architectures"] == ["arm64"]


def test_security_group_rules_and_severity():
    row = t.security_group_fields(payload("security_group_open.json"))
    assert row["severity"] == "critical"  # ::/0 on 20-25 covers SSH
    ssh = next(rule for rule in row["ingress_rules"] if rule["from_port"] == 20)
    assert ssh == {
        "protocol": "tcp",
        "from_port": 20,
        "to_port": 25,
        "sources": ["10.0.0.0/8", "::/0", "sg-0peer"],
        "world_open": True,
        "severity": "critical",
    }
    assert row["egress_rules"][0]["protocol"] == "-1"
    assert row["tags"] == {"Owner": "netops"}


def _tcp(low, high, cidr="0.0.0.0/0", protocol="tcp"):
    return {"IpProtocol": protocol, "FromPort": low, "ToPort": high, "IpRanges": [{"CidrIp": cidr}]}


WORLD_V6 = {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}


@pytest.mark.parametrize(
    ("rules", "severity"),
    [
        ([_tcp(3389, 3389)], "critical"),
        *(([_tcp(port, port)], "critical") for port in (22, 3306, 5432, 1433, 27017, 6379, 9200)),
        ([WORLD_V6], "critical"),  # ::/0 is the world too
        ([{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}], "critical"),  # all traffic
        ([_tcp(0, 65535)], "critical"),  # a range that contains 22
        ([_tcp(9000, 9300)], "critical"),  # ... or 9200
        ([_tcp(8080, 8080)], "warning"),
        ([_tcp(80, 443)], "warning"),  # 81-442 are other ports
        ([_tcp(53, 53, protocol="udp")], "warning"),
        ([_tcp(22, 22, protocol="udp")], "warning"),  # SSH is TCP: UDP 22 is another port
        ([_tcp(443, 443)], "info"),
        ([_tcp(80, 80), _tcp(443, 443)], "info"),
        ([_tcp(-1, -1, protocol="icmp")], "info"),  # ping
        ([_tcp(443, 443), _tcp(8443, 8443), _tcp(22, 22)], "critical"),  # the group takes its worst rule
        ([_tcp(443, 443), _tcp(8443, 8443)], "warning"),
        ([_tcp(22, 22, cidr="10.0.0.0/8")], ""),  # not the world
        ([_tcp(22, 22, cidr="0.0.0.0/1")], ""),
        ([], ""),
    ],
)
def test_security_group_severity(rules, severity):
    row = t.security_group_fields({"GroupId": "sg-x", "IpPermissions": rules})
    assert row["severity"] == severity
    assert max((rule["severity"] for rule in row["ingress_rules"]), default="", key=SEVERITY_ORDER.index) == severity


SEVERITY_ORDER = ["", "info", "warning", "critical"]


def test_egress_to_anywhere_is_not_a_finding():
    everything = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}]
    row = t.security_group_fields({"GroupId": "sg-x", "IpPermissions": [], "IpPermissionsEgress": everything})
    assert row["severity"] == "" and "severity" not in row["egress_rules"][0]


def test_small_resources():
    eip = t.address_fields({"AllocationId": "eipalloc-1", "PublicIp": "1.2.3.4", "Domain": "vpc"})
    assert (eip["association_id"], eip["instance_id"], eip["private_ip"]) == ("", "", None)
    pg = t.placement_group_fields(
        {"GroupName": "g", "Strategy": "partition", "PartitionCount": 7, "State": "available"}
    )
    assert (pg["strategy"], pg["partition_count"]) == ("partition", 7)
    eni = t.network_interface_fields(
        {
            "NetworkInterfaceId": "eni-1",
            "Status": "in-use",
            "Attachment": {"InstanceId": "i-1", "DeviceIndex": 1},
            "Association": {"PublicIp": "5.6.7.8"},
            "TagSet": [{"Key": "Env", "Value": "dev"}],
        }
    )
    assert (eni["instance_id"], eni["device_index"], eni["public_ip"], eni["tags"]) == (
        "i-1",
        1,
        "5.6.7.8",
        {"Env": "dev"},
    )
    volume = t.volume_fields(
        {"VolumeId": "vol-1", "Size": 8, "Attachments": [{"InstanceId": "i-1", "Device": "/dev/xvda"}]}
    )
    assert (volume["size_gib"], volume["instance_id"], volume["device"]) == (8, "i-1", "/dev/xvda")
    image = t.image_fields({"ImageId": "ami-1", "CreationDate": "2020-01-02T03:04:05.000Z", "Public": False})
    assert image["creation_date"] == datetime(2020, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("transform", "model", "raw"),
    [
        (t.instance_fields, Instance, "instance_minimal.json"),
        (lambda raw, _=None: instance_type_fields(raw), InstanceType, None),
        (t.placement_group_fields, PlacementGroup, {"GroupName": "g"}),
        (t.key_pair_fields, KeyPair, {"KeyName": "k"}),
        (t.address_fields, ElasticIP, {"PublicIp": "1.2.3.4"}),
        (t.image_fields, Image, {"ImageId": "ami-1"}),
        (t.security_group_fields, SecurityGroup, {"GroupId": "sg-1"}),
        (t.network_interface_fields, NetworkInterface, {"NetworkInterfaceId": "eni-1"}),
        (t.volume_fields, Volume, {"VolumeId": "vol-1"}),
        (t.list_price_fields, ListPrice, {"Kind": "storage", "Subject": {"volume_type": "gp3"}, "Product": {}}),
    ],
)
def test_every_transform_returns_exactly_the_model_fields(transform, model, raw):
    if raw is None:
        raw = payload("instance_types.json")[0]
    elif isinstance(raw, str):
        raw = payload(raw)
    assert set(transform(raw, None)) == synced_fields(model)
