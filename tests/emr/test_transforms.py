"""EMR transforms on API-shaped payloads (boto3's dicts, as the EMR API reference shapes them): clusters, instance
groups and fleets, steps, instances; an unchanged item gives identical fields."""

from datetime import UTC, datetime

from fleetui.aws.emr import COLLECTION_KEY
from fleetui.aws.query import PARENT_KEY
from fleetui.emr.transforms import cluster_fields, instance_fields, instance_group_fields, step_fields

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
T1 = datetime(2025, 3, 1, 8, 9, tzinfo=UTC)
NAMES = {"j-ABC": "etl-nightly"}

CLUSTER = {
    "Id": "j-ABC",
    "Name": "etl-nightly",
    "ClusterArn": "arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-ABC",
    "Status": {
        "State": "TERMINATED",
        "StateChangeReason": {"Code": "USER_REQUEST", "Message": "Terminated by user request"},
        "Timeline": {"CreationDateTime": T0, "ReadyDateTime": T1, "EndDateTime": T1},
    },
    "ReleaseLabel": "emr-7.2.0",
    "Applications": [{"Name": "Spark", "Version": "3.5.1"}, {"Name": "Hive", "Version": "3.1.3"}],
    "InstanceCollectionType": "INSTANCE_GROUP",
    "AutoTerminate": False,
    "TerminationProtected": True,
    "LogUri": "s3n://logs/",
    "MasterPublicDnsName": "ec2-1-2-3-4.compute-1.amazonaws.com",
    "NormalizedInstanceHours": 96,
    "ServiceRole": "EMR_DefaultRole",
    "Tags": [{"Key": "team", "Value": "data"}],
    "IdleTimeout": 3600,
}


def test_cluster_fields():
    fields = cluster_fields(CLUSTER)
    assert fields["applications"] == [{"name": "Hive", "version": "3.1.3"}, {"name": "Spark", "version": "3.5.1"}]
    assert (fields["state"], fields["state_change_code"], fields["state_change_message"]) == (
        "TERMINATED", "USER_REQUEST", "Terminated by user request",
    )  # fmt: skip
    assert (fields["termination_protected"], fields["auto_terminate"], fields["idle_timeout"]) == (True, False, 3600)
    assert (fields["created_at"], fields["ready_at"], fields["ended_at"]) == (T0, T1, T1)
    assert fields["tags"] == {"team": "data"} and fields["normalized_instance_hours"] == 96
    assert cluster_fields(dict(CLUSTER)) == fields  # unchanged item, identical fields
    bare = cluster_fields({"Id": "j-X", "Name": "x", "Status": {"State": "STARTING"}})
    assert (bare["idle_timeout"], bare["collection"], bare["log_uri"], bare["ready_at"]) == (
        None, "INSTANCE_GROUP", "", None,
    )  # fmt: skip


def test_instance_group_fields():
    raw = {
        "Id": "ig-TASK", "Name": "Task - spot", "Market": "SPOT", "InstanceGroupType": "TASK", "BidPrice": "0.10",
        "InstanceType": "m5.xlarge", "RequestedInstanceCount": 6, "RunningInstanceCount": 4,
        "Status": {"State": "RESIZING", "StateChangeReason": {"Message": "Expanding instance group"}},
        PARENT_KEY: "j-ABC", COLLECTION_KEY: "group",
    }  # fmt: skip
    fields = instance_group_fields(raw, NAMES)
    assert (fields["cluster_id"], fields["cluster_name"], fields["collection"]) == ("j-ABC", "etl-nightly", "group")
    assert (fields["market"], fields["bid_price"], fields["instance_types"]) == ("SPOT", "0.10", ["m5.xlarge"])
    assert (fields["requested_count"], fields["running_count"], fields["state"]) == (6, 4, "RESIZING")
    assert fields["spot_target"] is None and fields["state_change_message"] == "Expanding instance group"
    assert instance_group_fields(dict(raw), NAMES) == fields
    assert instance_group_fields({**raw, PARENT_KEY: "j-OTHER"}, NAMES)["cluster_name"] == ""


def test_instance_fleet_fields():
    raw = {
        "Id": "if-CORE", "Name": "Core fleet", "InstanceFleetType": "CORE",
        "Status": {"State": "RUNNING", "StateChangeReason": {}},
        "TargetOnDemandCapacity": 2, "TargetSpotCapacity": 6, "ProvisionedOnDemandCapacity": 2,
        "ProvisionedSpotCapacity": 4,
        "InstanceTypeSpecifications": [
            {"InstanceType": "r5.xlarge", "BidPrice": "0.12", "WeightedCapacity": 1},
            {"InstanceType": "r5a.xlarge", "BidPrice": "0.12", "WeightedCapacity": 1},
        ],
        PARENT_KEY: "j-ABC", COLLECTION_KEY: "fleet",
    }  # fmt: skip
    fields = instance_group_fields(raw, NAMES)
    assert (fields["collection"], fields["group_type"], fields["market"], fields["bid_price"]) == (
        "fleet", "CORE", "SPOT", "0.12",
    )  # fmt: skip
    assert fields["instance_types"] == ["r5.xlarge", "r5a.xlarge"]
    assert (fields["on_demand_target"], fields["on_demand_provisioned"]) == (2, 2)
    assert (fields["spot_target"], fields["spot_provisioned"]) == (6, 4)
    assert (fields["requested_count"], fields["running_count"]) == (8, 6)
    on_demand = instance_group_fields({**raw, "TargetSpotCapacity": 0}, NAMES)
    assert (on_demand["market"], on_demand["bid_price"]) == ("ON_DEMAND", "")


def test_step_fields():
    raw = {
        "Id": "s-1", "Name": "dedupe", "ActionOnFailure": "CONTINUE",
        "Config": {"Jar": "command-runner.jar", "Args": ["spark-submit", "b.py", "a"]},
        "Status": {
            "State": "FAILED", "StateChangeReason": {"Message": "exitCode 1"},
            "Timeline": {"CreationDateTime": T0, "StartDateTime": T0, "EndDateTime": T1},
        },
        PARENT_KEY: "j-ABC",
    }  # fmt: skip
    fields = step_fields(raw, NAMES)
    assert fields["args"] == ["spark-submit", "b.py", "a"]  # a command line keeps its order
    assert (fields["state"], fields["state_change_message"], fields["ended_at"]) == ("FAILED", "exitCode 1", T1)
    assert step_fields(dict(raw), NAMES) == fields


def test_instance_fields():
    raw = {
        "Id": "ci-1", "Ec2InstanceId": "i-0abc", "InstanceGroupId": "ig-TASK", "InstanceFleetId": "",
        "Market": "SPOT", "InstanceType": "m5.xlarge", "PrivateIpAddress": "10.0.0.5",
        "Status": {"State": "RUNNING", "Timeline": {"CreationDateTime": T0, "ReadyDateTime": T1}},
        PARENT_KEY: "j-ABC",
    }  # fmt: skip
    fields = instance_fields(raw, NAMES)
    assert (fields["instance_group_id"], fields["ec2_instance_id"], fields["market"]) == ("ig-TASK", "i-0abc", "SPOT")
    assert (fields["public_dns"], fields["ready_at"], fields["cluster_name"]) == ("", T1, "etl-nightly")
    fleet = instance_fields({**raw, "InstanceGroupId": None, "InstanceFleetId": "if-CORE"}, NAMES)
    assert fleet["instance_group_id"] == "if-CORE"
