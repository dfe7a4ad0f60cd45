"""Placement groups, ModifyInstancePlacement and launch-time placement/tenancy/spot fields, through boto3."""

import pytest
from botocore.exceptions import ClientError


def _image(ec2) -> str:
    images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*x86_64*"]}])
    return sorted(image["ImageId"] for image in images["Images"])[0]


def _launch(ec2, count: int = 1, **params) -> list[dict]:
    params.setdefault("InstanceType", "m5.large")
    reservation = ec2.run_instances(ImageId=_image(ec2), MinCount=count, MaxCount=count, **params)
    return reservation["Instances"]


def _describe(ec2, instance_id: str) -> dict:
    return ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]


def _code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def test_create_and_describe_each_strategy(ec2):
    created = ec2.create_placement_group(
        GroupName="kafka",
        Strategy="partition",
        PartitionCount=5,
        TagSpecifications=[{"ResourceType": "placement-group", "Tags": [{"Key": "Env", "Value": "prod"}]}],
    )["PlacementGroup"]
    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    ec2.create_placement_group(GroupName="db", Strategy="spread")

    assert created["GroupId"].startswith("pg-")
    assert created["GroupArn"] == "arn:aws:ec2:us-east-1:123456789012:placement-group/kafka"
    groups = {g["GroupName"]: g for g in ec2.describe_placement_groups()["PlacementGroups"]}
    assert set(groups) == {"kafka", "hpc", "db"}
    assert groups["kafka"]["PartitionCount"] == 5
    assert groups["kafka"]["Tags"] == [{"Key": "Env", "Value": "prod"}]
    assert groups["hpc"]["State"] == "available" and "PartitionCount" not in groups["hpc"]
    assert groups["db"]["SpreadLevel"] == "rack"


def test_describe_by_name_id_and_filters(ec2):
    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    spread_id = ec2.create_placement_group(GroupName="db", Strategy="spread")["PlacementGroup"]["GroupId"]

    by_name = ec2.describe_placement_groups(GroupNames=["hpc"])["PlacementGroups"]
    by_id = ec2.describe_placement_groups(GroupIds=[spread_id])["PlacementGroups"]
    by_strategy = ec2.describe_placement_groups(Filters=[{"Name": "strategy", "Values": ["spread"]}])
    by_pattern = ec2.describe_placement_groups(Filters=[{"Name": "group-name", "Values": ["h*"]}])
    by_state = ec2.describe_placement_groups(Filters=[{"Name": "state", "Values": ["deleted"]}])

    assert [g["GroupName"] for g in by_name] == ["hpc"]
    assert [g["GroupName"] for g in by_id] == ["db"]
    assert [g["GroupName"] for g in by_strategy["PlacementGroups"]] == ["db"]
    assert [g["GroupName"] for g in by_pattern["PlacementGroups"]] == ["hpc"]
    assert by_state["PlacementGroups"] == []
    with pytest.raises(ClientError) as excinfo:
        ec2.describe_placement_groups(GroupNames=["nope"])
    assert _code(excinfo) == "InvalidPlacementGroup.Unknown"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"Strategy": "partition", "PartitionCount": 8}, "InvalidParameterValue"),
        ({"Strategy": "cluster", "PartitionCount": 2}, "InvalidParameterValue"),
        ({"Strategy": "diagonal"}, "InvalidParameterValue"),
    ],
)
def test_create_rejects_invalid_parameters(ec2, params, code):
    with pytest.raises(ClientError) as excinfo:
        ec2.create_placement_group(GroupName="bad", **params)
    assert _code(excinfo) == code
    assert ec2.describe_placement_groups()["PlacementGroups"] == []


def test_duplicate_name_is_refused(ec2):
    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    with pytest.raises(ClientError) as excinfo:
        ec2.create_placement_group(GroupName="hpc", Strategy="spread")
    assert _code(excinfo) == "InvalidPlacementGroup.Duplicate"


def test_delete_refused_while_instances_remain_then_allowed(ec2):
    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    [instance] = _launch(ec2, Placement={"GroupName": "hpc"})
    with pytest.raises(ClientError) as excinfo:
        ec2.delete_placement_group(GroupName="hpc")
    assert _code(excinfo) == "InvalidPlacementGroup.InUse"

    ec2.terminate_instances(InstanceIds=[instance["InstanceId"]])
    ec2.delete_placement_group(GroupName="hpc")
    assert ec2.describe_placement_groups()["PlacementGroups"] == []
    with pytest.raises(ClientError) as excinfo:
        ec2.delete_placement_group(GroupName="hpc")
    assert _code(excinfo) == "InvalidPlacementGroup.Unknown"


def test_launch_records_group_partition_and_tenancy(ec2):
    group_id = ec2.create_placement_group(GroupName="kafka", Strategy="partition", PartitionCount=3)["PlacementGroup"][
        "GroupId"
    ]
    auto = _launch(ec2, 3, Placement={"GroupName": "kafka", "Tenancy": "dedicated"})
    [pinned] = _launch(ec2, Placement={"GroupName": "kafka", "PartitionNumber": 2})

    placements = [_describe(ec2, i["InstanceId"])["Placement"] for i in auto]
    assert sorted(p["PartitionNumber"] for p in placements) == [1, 2, 3]  # spread evenly, like AWS
    assert {p["GroupName"] for p in placements} == {"kafka"}
    assert {p["GroupId"] for p in placements} == {group_id}
    assert {p["Tenancy"] for p in placements} == {"dedicated"}
    assert _describe(ec2, pinned["InstanceId"])["Placement"]["PartitionNumber"] == 2
    assert _describe(ec2, pinned["InstanceId"])["Placement"]["Tenancy"] == "default"
    filtered = ec2.describe_instances(Filters=[{"Name": "tenancy", "Values": ["dedicated"]}])["Reservations"]
    assert sorted(i["InstanceId"] for r in filtered for i in r["Instances"]) == sorted(i["InstanceId"] for i in auto)


def test_launch_on_dedicated_host(ec2):
    host_id = ec2.allocate_hosts(AvailabilityZone="us-east-1a", InstanceType="m5.large", Quantity=1)["HostIds"][0]
    [explicit] = _launch(ec2, Placement={"HostId": host_id, "AvailabilityZone": "us-east-1a"})
    [auto] = _launch(ec2, Placement={"Tenancy": "host", "AvailabilityZone": "us-east-1a"})

    for instance in (explicit, auto):
        placement = _describe(ec2, instance["InstanceId"])["Placement"]
        assert placement["Tenancy"] == "host"
        assert placement["HostId"] == host_id
    with pytest.raises(ClientError) as excinfo:
        _launch(ec2, Placement={"Tenancy": "host", "AvailabilityZone": "us-east-1b"})
    assert _code(excinfo) == "InsufficientHostCapacity"


@pytest.mark.parametrize(
    ("placement", "code"),
    [
        ({"GroupName": "nope"}, "InvalidPlacementGroup.Unknown"),
        ({"GroupName": "kafka", "PartitionNumber": 4}, "InvalidParameterValue"),
        ({"Tenancy": "shared"}, "InvalidParameterValue"),
        ({"HostId": "h-0123456789abcdef0"}, "InvalidHostID.NotFound"),
    ],
)
def test_launch_validates_placement_before_launching(ec2, placement, code):
    ec2.create_placement_group(GroupName="kafka", Strategy="partition", PartitionCount=3)
    with pytest.raises(ClientError) as excinfo:
        _launch(ec2, Placement=placement)
    assert _code(excinfo) == code
    assert ec2.describe_instances()["Reservations"] == []


def test_spread_group_holds_seven_running_per_zone(ec2):
    ec2.create_placement_group(GroupName="db", Strategy="spread")
    _launch(ec2, 7, Placement={"GroupName": "db", "AvailabilityZone": "us-east-1a"})
    with pytest.raises(ClientError) as excinfo:
        _launch(ec2, Placement={"GroupName": "db", "AvailabilityZone": "us-east-1a"})
    assert _code(excinfo) == "InvalidParameterValue"
    [other_zone] = _launch(ec2, Placement={"GroupName": "db", "AvailabilityZone": "us-east-1b"})
    assert _describe(ec2, other_zone["InstanceId"])["Placement"]["GroupName"] == "db"


def test_cluster_group_stays_in_one_zone(ec2):
    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    _launch(ec2, 2, Placement={"GroupName": "hpc", "AvailabilityZone": "us-east-1b"})
    with pytest.raises(ClientError) as excinfo:
        _launch(ec2, Placement={"GroupName": "hpc", "AvailabilityZone": "us-east-1c"})
    assert _code(excinfo) == "InvalidPlacementGroup.InUse"
    assert "us-east-1b" in excinfo.value.response["Error"]["Message"]
    _launch(ec2, Placement={"GroupName": "hpc", "AvailabilityZone": "us-east-1b"})


def test_spot_launch_reports_lifecycle_and_request(ec2):
    [spot] = _launch(ec2, InstanceMarketOptions={"MarketType": "spot", "SpotOptions": {"MaxPrice": "0.05"}})
    [on_demand] = _launch(ec2)

    described = _describe(ec2, spot["InstanceId"])
    assert described["InstanceLifecycle"] == "spot"
    request_id = described["SpotInstanceRequestId"]
    assert request_id.startswith("sir-")
    [request] = ec2.describe_spot_instance_requests(SpotInstanceRequestIds=[request_id])["SpotInstanceRequests"]
    assert request["InstanceId"] == spot["InstanceId"]
    assert request["Type"] == "one-time"
    plain = _describe(ec2, on_demand["InstanceId"])
    assert "InstanceLifecycle" not in plain and "SpotInstanceRequestId" not in plain
    assert len(ec2.describe_instances()["Reservations"]) == 2  # the request did not launch a second instance


def test_modify_instance_placement_requires_stopped(ec2):
    ec2.create_placement_group(GroupName="kafka", Strategy="partition", PartitionCount=3)
    [instance] = _launch(ec2)
    instance_id = instance["InstanceId"]
    with pytest.raises(ClientError) as excinfo:
        ec2.modify_instance_placement(InstanceId=instance_id, GroupName="kafka")
    assert _code(excinfo) == "IncorrectInstanceState"
    assert _describe(ec2, instance_id)["Placement"]["GroupName"] == ""

    ec2.stop_instances(InstanceIds=[instance_id])
    assert ec2.modify_instance_placement(InstanceId=instance_id, GroupName="kafka", PartitionNumber=3)["Return"]
    placement = _describe(ec2, instance_id)["Placement"]
    assert (placement["GroupName"], placement["PartitionNumber"]) == ("kafka", 3)

    ec2.modify_instance_placement(InstanceId=instance_id, GroupName="")  # "" removes it from the group
    placement = _describe(ec2, instance_id)["Placement"]
    assert placement["GroupName"] == "" and "PartitionNumber" not in placement


def test_modify_instance_placement_by_group_id_tenancy_and_host(ec2):
    group_id = ec2.create_placement_group(GroupName="hpc", Strategy="cluster")["PlacementGroup"]["GroupId"]
    host_id = ec2.allocate_hosts(AvailabilityZone="us-east-1a", InstanceType="m5.large", Quantity=1)["HostIds"][0]
    [instance] = _launch(ec2)
    instance_id = instance["InstanceId"]
    ec2.stop_instances(InstanceIds=[instance_id])

    ec2.modify_instance_placement(InstanceId=instance_id, GroupId=group_id, Tenancy="dedicated")
    placement = _describe(ec2, instance_id)["Placement"]
    assert (placement["GroupName"], placement["Tenancy"]) == ("hpc", "dedicated")
    ec2.modify_instance_placement(InstanceId=instance_id, HostId=host_id)
    placement = _describe(ec2, instance_id)["Placement"]
    assert (placement["Tenancy"], placement["HostId"]) == ("host", host_id)
    for params, code in [
        ({"GroupName": "nope"}, "InvalidPlacementGroup.Unknown"),
        ({"GroupName": "hpc", "PartitionNumber": 1}, "InvalidParameterValue"),
        ({"HostId": "h-0123456789abcdef0"}, "InvalidHostID.NotFound"),
    ]:
        with pytest.raises(ClientError) as excinfo:
            ec2.modify_instance_placement(InstanceId=instance_id, **params)
        assert _code(excinfo) == code
    with pytest.raises(ClientError) as excinfo:
        ec2.modify_instance_placement(InstanceId="i-0123456789abcdef0", GroupName="hpc")
    assert _code(excinfo) == "InvalidInstanceID.NotFound"


def test_placement_groups_are_per_region_and_cleared_by_reset(ec2, aws):
    import boto3
    import requests

    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    other = boto3.client("ec2", region_name="eu-west-1", endpoint_url=aws)
    assert other.describe_placement_groups()["PlacementGroups"] == []
    requests.post(f"{aws}/moto-api/reset", timeout=30)
    assert ec2.describe_placement_groups()["PlacementGroups"] == []
