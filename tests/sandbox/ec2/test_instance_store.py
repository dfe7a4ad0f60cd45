"""Instance store in the sandbox as in EC2: an instance-store-backed AMI launches an instance-store-root instance,
and StopInstances refuses it, and a one-time spot instance, with UnsupportedOperation."""

import pytest
from botocore.exceptions import ClientError

from fleetui.sandbox.ec2.images import instance_store_image

from .test_actions_apis import _launch


def _describe(ec2, instance_id: str) -> dict:
    return ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]


def test_an_instance_store_ami_launches_an_instance_store_root_instance_that_cannot_be_stopped(ec2):
    image = instance_store_image(ec2)
    assert ec2.describe_images(ImageIds=[image])["Images"][0]["RootDeviceType"] == "instance-store"
    [store_root] = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="d2.xlarge")["Instances"]
    [ebs_root] = _launch(ec2, InstanceType="i3.large")
    described = _describe(ec2, store_root["InstanceId"])
    assert described["RootDeviceType"] == "instance-store"
    assert described.get("BlockDeviceMappings", []) == []  # no EBS root volume
    assert _describe(ec2, ebs_root)["RootDeviceType"] == "ebs"

    with pytest.raises(ClientError) as refused:
        ec2.stop_instances(InstanceIds=[ebs_root, store_root["InstanceId"]])
    assert refused.value.response["Error"]["Code"] == "UnsupportedOperation"
    assert "does not have an 'ebs' root device type" in refused.value.response["Error"]["Message"]
    # The call was refused whole: the EBS-backed one was not stopped either. Reboot and terminate still work.
    assert _describe(ec2, ebs_root)["State"]["Name"] == "running"
    ec2.reboot_instances(InstanceIds=[store_root["InstanceId"]])
    ec2.terminate_instances(InstanceIds=[store_root["InstanceId"]])


def test_a_one_time_spot_instance_cannot_be_stopped_a_persistent_one_can(ec2):
    [one_time] = _launch(ec2, InstanceMarketOptions={"MarketType": "spot"})
    persistent_options = {"SpotInstanceType": "persistent", "InstanceInterruptionBehavior": "stop"}
    [persistent] = _launch(ec2, InstanceMarketOptions={"MarketType": "spot", "SpotOptions": persistent_options})
    request_id = _describe(ec2, one_time)["SpotInstanceRequestId"]
    requests = ec2.describe_spot_instance_requests(SpotInstanceRequestIds=[request_id])["SpotInstanceRequests"]
    assert requests[0]["Type"] == "one-time"

    with pytest.raises(ClientError) as refused:
        ec2.stop_instances(InstanceIds=[one_time])
    assert refused.value.response["Error"]["Code"] == "UnsupportedOperation"
    assert "one-time Spot Instance request" in refused.value.response["Error"]["Message"]
    ec2.stop_instances(InstanceIds=[persistent])
    assert _describe(ec2, persistent)["State"]["Name"] == "stopped"
