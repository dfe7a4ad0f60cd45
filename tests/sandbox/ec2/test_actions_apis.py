"""The EC2 calls fleetui's actions make behave in the sandbox as they do in EC2, through plain boto3."""

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from fleetui.sandbox.faults import fault_inject

NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture
def ec2_once(aws):
    """An EC2 client that does not retry, so every injected failure is visible."""
    return boto3.client("ec2", region_name="us-east-1", endpoint_url=aws, config=NO_RETRY)


def _image(ec2) -> str:
    images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*x86_64*"]}])
    return sorted(image["ImageId"] for image in images["Images"])[0]


def _launch(ec2, count: int = 1, **params) -> list[str]:
    params.setdefault("InstanceType", "t3.micro")
    reservation = ec2.run_instances(ImageId=_image(ec2), MinCount=count, MaxCount=count, **params)
    return [instance["InstanceId"] for instance in reservation["Instances"]]


def _describe(ec2, instance_id: str) -> dict:
    return ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]


def _state(ec2, instance_id: str) -> str:
    return _describe(ec2, instance_id)["State"]["Name"]


def _all_instance_ids(ec2) -> list[str]:
    return [i["InstanceId"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]


def _code(call) -> str:
    with pytest.raises(ClientError) as excinfo:
        call()
    return excinfo.value.response["Error"]["Code"]


# a. RunInstances ClientToken idempotency


def test_same_client_token_and_parameters_returns_the_first_launch(ec2):
    image = _image(ec2)
    params = {"ImageId": image, "MinCount": 2, "MaxCount": 2, "InstanceType": "t3.micro", "ClientToken": "launch-1"}
    first = ec2.run_instances(**params)
    again = ec2.run_instances(**params)

    first_ids = [i["InstanceId"] for i in first["Instances"]]
    assert again["ReservationId"] == first["ReservationId"]
    assert [i["InstanceId"] for i in again["Instances"]] == first_ids
    assert sorted(_all_instance_ids(ec2)) == sorted(first_ids)  # nothing new was launched


def test_same_client_token_with_other_parameters_is_a_mismatch(ec2):
    image = _image(ec2)
    ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro", ClientToken="launch-2")
    code = _code(
        lambda: ec2.run_instances(
            ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.large", ClientToken="launch-2"
        )
    )
    assert code == "IdempotentParameterMismatch"
    assert len(_all_instance_ids(ec2)) == 1


def test_concurrent_redeliveries_of_one_launch_launch_once(aws, ec2):
    from concurrent.futures import ThreadPoolExecutor

    image = _image(ec2)
    clients = [boto3.client("ec2", region_name="us-east-1", endpoint_url=aws) for _ in range(6)]

    def launch(client):
        reply = client.run_instances(ImageId=image, MinCount=1, MaxCount=1, ClientToken="redelivered")
        return reply["Instances"][0]["InstanceId"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        ids = set(pool.map(launch, clients))
    assert len(ids) == 1
    assert _all_instance_ids(ec2) == list(ids)


def test_client_tokens_are_per_region(aws, ec2):
    west = boto3.client("ec2", region_name="us-west-2", endpoint_url=aws)
    [east_id] = _launch(ec2, ClientToken="same-token")
    [west_id] = _launch(west, ClientToken="same-token")
    assert east_id != west_id
    assert _all_instance_ids(west) == [west_id]


def test_describe_reports_the_client_token_and_filters_by_it(ec2):
    [tokened] = _launch(ec2, ClientToken="launch-3")
    _launch(ec2, ClientToken="launch-4")

    assert _describe(ec2, tokened)["ClientToken"] == "launch-3"
    found = ec2.describe_instances(Filters=[{"Name": "client-token", "Values": ["launch-3"]}])["Reservations"]
    assert [i["InstanceId"] for r in found for i in r["Instances"]] == [tokened]
    none = ec2.describe_instances(Filters=[{"Name": "client-token", "Values": ["never-used"]}])["Reservations"]
    assert none == []


def test_capacity_fault_on_run_instances_launches_nothing_and_the_retry_launches_once(aws, ec2_once):
    fault_inject(endpoint=aws, action="RunInstances", error="InsufficientInstanceCapacity", count=1)
    image = _image(ec2_once)
    params = {"ImageId": image, "MinCount": 1, "MaxCount": 1, "ClientToken": "launch-5"}

    assert _code(lambda: ec2_once.run_instances(**params)) == "InsufficientInstanceCapacity"
    assert _all_instance_ids(ec2_once) == []
    first = ec2_once.run_instances(**params)
    again = ec2_once.run_instances(**params)
    assert again["Instances"][0]["InstanceId"] == first["Instances"][0]["InstanceId"]
    assert len(_all_instance_ids(ec2_once)) == 1


# b. start / stop / reboot / terminate


def test_stop_start_reboot_terminate_transitions(ec2):
    [instance_id] = _launch(ec2)

    stopping = ec2.stop_instances(InstanceIds=[instance_id])["StoppingInstances"][0]
    assert (stopping["PreviousState"]["Name"], stopping["CurrentState"]["Name"]) == ("running", "stopping")
    assert _state(ec2, instance_id) == "stopped"
    again = ec2.stop_instances(InstanceIds=[instance_id])["StoppingInstances"][0]
    assert (again["PreviousState"]["Name"], again["CurrentState"]["Name"]) == ("stopped", "stopped")

    assert _code(lambda: ec2.reboot_instances(InstanceIds=[instance_id])) == "IncorrectInstanceState"
    starting = ec2.start_instances(InstanceIds=[instance_id])["StartingInstances"][0]
    assert (starting["PreviousState"]["Name"], starting["CurrentState"]["Name"]) == ("stopped", "pending")
    assert _state(ec2, instance_id) == "running"
    again = ec2.start_instances(InstanceIds=[instance_id])["StartingInstances"][0]
    assert (again["PreviousState"]["Name"], again["CurrentState"]["Name"]) == ("running", "running")
    ec2.reboot_instances(InstanceIds=[instance_id])
    assert _state(ec2, instance_id) == "running"

    terminating = ec2.terminate_instances(InstanceIds=[instance_id])["TerminatingInstances"][0]
    assert (terminating["PreviousState"]["Name"], terminating["CurrentState"]["Name"]) == ("running", "shutting-down")
    assert _state(ec2, instance_id) == "terminated"
    again = ec2.terminate_instances(InstanceIds=[instance_id])["TerminatingInstances"][0]
    assert (again["PreviousState"]["Name"], again["CurrentState"]["Name"]) == ("terminated", "terminated")


def test_a_terminated_instance_cannot_be_started_or_stopped_and_reboot_ignores_it(ec2):
    [instance_id] = _launch(ec2)
    ec2.terminate_instances(InstanceIds=[instance_id])

    assert _code(lambda: ec2.start_instances(InstanceIds=[instance_id])) == "IncorrectInstanceState"
    assert _code(lambda: ec2.stop_instances(InstanceIds=[instance_id])) == "IncorrectInstanceState"
    ec2.reboot_instances(InstanceIds=[instance_id])  # EC2 ignores reboots of terminated instances
    assert _state(ec2, instance_id) == "terminated"


def test_a_refused_multi_instance_call_changes_nothing(ec2):
    stopped, terminated = _launch(ec2, count=2)
    ec2.stop_instances(InstanceIds=[stopped])
    ec2.terminate_instances(InstanceIds=[terminated])

    assert _code(lambda: ec2.start_instances(InstanceIds=[stopped, terminated])) == "IncorrectInstanceState"
    assert _state(ec2, stopped) == "stopped"


def test_unknown_instance_is_not_found(ec2):
    assert _code(lambda: ec2.start_instances(InstanceIds=["i-0123456789abcdef0"])) == "InvalidInstanceID.NotFound"


def test_disable_api_stop_refuses_the_stop(ec2):
    [instance_id] = _launch(ec2, DisableApiStop=True)
    assert _code(lambda: ec2.stop_instances(InstanceIds=[instance_id])) == "OperationNotPermitted"
    assert _state(ec2, instance_id) == "running"


# c. termination protection


def test_termination_protection(ec2):
    protected, other = _launch(ec2, count=2)
    ec2.modify_instance_attribute(InstanceId=protected, DisableApiTermination={"Value": True})

    attribute = ec2.describe_instance_attribute(InstanceId=protected, Attribute="disableApiTermination")
    assert attribute["DisableApiTermination"] == {"Value": True}
    assert _code(lambda: ec2.terminate_instances(InstanceIds=[other, protected])) == "OperationNotPermitted"
    assert (_state(ec2, protected), _state(ec2, other)) == ("running", "running")  # nothing was terminated

    ec2.modify_instance_attribute(InstanceId=protected, DisableApiTermination={"Value": False})
    ec2.terminate_instances(InstanceIds=[protected])
    assert _state(ec2, protected) == "terminated"


# d. instance type


def test_instance_type_changes_only_when_stopped(ec2):
    [instance_id] = _launch(ec2)
    change = {"InstanceId": instance_id, "InstanceType": {"Value": "m5.large"}}

    assert _code(lambda: ec2.modify_instance_attribute(**change)) == "IncorrectInstanceState"
    assert _describe(ec2, instance_id)["InstanceType"] == "t3.micro"
    ec2.stop_instances(InstanceIds=[instance_id])
    ec2.modify_instance_attribute(**change)
    assert _describe(ec2, instance_id)["InstanceType"] == "m5.large"
    bad = {"InstanceId": instance_id, "InstanceType": {"Value": "m5.gigantic"}}
    assert _code(lambda: ec2.modify_instance_attribute(**bad)) == "InvalidInstanceAttributeValue"
    legacy = {"InstanceId": instance_id, "Attribute": "instanceType", "Value": "c5.xlarge"}
    ec2.modify_instance_attribute(**legacy)
    assert _describe(ec2, instance_id)["InstanceType"] == "c5.xlarge"


# e. placement: the cases test_placement.py does not cover


def test_move_between_placement_groups_when_stopped(ec2):
    ec2.create_placement_group(GroupName="a", Strategy="spread")
    ec2.create_placement_group(GroupName="b", Strategy="cluster")
    [instance_id] = _launch(ec2, Placement={"GroupName": "a"})
    assert _code(lambda: ec2.modify_instance_placement(InstanceId=instance_id, GroupName="b")) == (
        "IncorrectInstanceState"
    )
    ec2.stop_instances(InstanceIds=[instance_id])

    ec2.modify_instance_placement(InstanceId=instance_id, GroupName="b")
    assert _describe(ec2, instance_id)["Placement"]["GroupName"] == "b"
    ec2.delete_placement_group(GroupName="a")  # "a" is empty now
    assert _code(lambda: ec2.delete_placement_group(GroupName="b")) == "InvalidPlacementGroup.InUse"


# f. Elastic IPs


def test_elastic_ip_allocate_associate_disassociate_release(ec2):
    [instance_id] = _launch(ec2)
    allocation = ec2.allocate_address(Domain="vpc")
    association_id = ec2.associate_address(AllocationId=allocation["AllocationId"], InstanceId=instance_id)[
        "AssociationId"
    ]
    [address] = ec2.describe_addresses(AllocationIds=[allocation["AllocationId"]])["Addresses"]
    assert (address["InstanceId"], address["AssociationId"]) == (instance_id, association_id)

    assert _code(lambda: ec2.release_address(AllocationId=allocation["AllocationId"])) == "InvalidIPAddress.InUse"
    assert ec2.describe_addresses(AllocationIds=[allocation["AllocationId"]])["Addresses"][0]["InstanceId"]

    ec2.disassociate_address(AssociationId=association_id)
    [address] = ec2.describe_addresses(AllocationIds=[allocation["AllocationId"]])["Addresses"]
    assert "InstanceId" not in address and "AssociationId" not in address
    ec2.release_address(AllocationId=allocation["AllocationId"])
    assert ec2.describe_addresses()["Addresses"] == []
    assert _code(lambda: ec2.release_address(AllocationId=allocation["AllocationId"])) == (
        "InvalidAllocationID.NotFound"
    )


# g. key pairs


def test_key_pairs_create_import_delete(ec2):
    created = ec2.create_key_pair(KeyName="ops")
    assert created["KeyMaterial"].startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert _code(lambda: ec2.create_key_pair(KeyName="ops")) == "InvalidKeyPair.Duplicate"
    public = ed25519.Ed25519PrivateKey.generate().public_key()
    openssh = public.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    imported = ec2.import_key_pair(KeyName="laptop", PublicKeyMaterial=openssh)
    assert imported["KeyPairId"].startswith("key-") and imported["KeyFingerprint"]

    assert sorted(k["KeyName"] for k in ec2.describe_key_pairs()["KeyPairs"]) == ["laptop", "ops"]
    ec2.delete_key_pair(KeyName="laptop")
    assert [k["KeyName"] for k in ec2.describe_key_pairs()["KeyPairs"]] == ["ops"]


# h. images


def test_create_copy_share_deregister_image(aws, ec2):
    [instance_id] = _launch(ec2)
    image_id = ec2.create_image(InstanceId=instance_id, Name="web-2026-11-29")["ImageId"]
    [image] = ec2.describe_images(ImageIds=[image_id])["Images"]
    assert image["Name"] == "web-2026-11-29"
    assert image["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is False
    assert _code(lambda: ec2.create_image(InstanceId=instance_id, Name="web-2026-11-29")) == "InvalidAMIName.Duplicate"

    west = boto3.client("ec2", region_name="us-west-2", endpoint_url=aws)
    copy_id = west.copy_image(SourceImageId=image_id, SourceRegion="us-east-1", Name="web-copy", Encrypted=True)[
        "ImageId"
    ]
    [copy] = west.describe_images(ImageIds=[copy_id])["Images"]
    assert copy["Name"] == "web-copy"
    assert all(mapping["Ebs"]["Encrypted"] for mapping in copy["BlockDeviceMappings"])
    snapshot_id = copy["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    assert west.describe_snapshots(SnapshotIds=[snapshot_id])["Snapshots"][0]["Encrypted"] is True

    ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": "111122223333"}]})
    permissions = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")["LaunchPermissions"]
    assert permissions == [{"UserId": "111122223333"}]

    ec2.deregister_image(ImageId=image_id)
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    assert west.describe_images(ImageIds=[copy_id])["Images"]  # the copy is its own image


# j. capacity faults on StartInstances


def test_capacity_fault_fails_exactly_k_starts_and_starts_nothing(aws, ec2_once):
    [instance_id] = _launch(ec2_once)
    ec2_once.stop_instances(InstanceIds=[instance_id])
    fault_inject(endpoint=aws, action="StartInstances", error="InsufficientInstanceCapacity", count=2, status=400)

    for _ in range(2):
        with pytest.raises(ClientError) as excinfo:
            ec2_once.start_instances(InstanceIds=[instance_id])
        assert excinfo.value.response["Error"]["Code"] == "InsufficientInstanceCapacity"
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert _state(ec2_once, instance_id) == "stopped"
    ec2_once.start_instances(InstanceIds=[instance_id])
    assert _state(ec2_once, instance_id) == "running"
