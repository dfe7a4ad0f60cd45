"""Smaller moto fixes: DescribeAddresses and PlatformDetails shaped like real EC2, extra DescribeInstances filters."""


def _image(ec2, platform: str | None = None) -> str:
    filters = [{"Name": "platform", "Values": ["windows"]}] if platform else [{"Name": "name", "Values": ["amzn2-*"]}]
    return sorted(i["ImageId"] for i in ec2.describe_images(Owners=["amazon"], Filters=filters)["Images"])[0]


def test_unattached_address_has_no_instance_fields(ec2):
    image = _image(ec2)
    instance_id = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    free = ec2.allocate_address(Domain="vpc")["AllocationId"]
    used = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ec2.associate_address(AllocationId=used, InstanceId=instance_id)

    addresses = {a["AllocationId"]: a for a in ec2.describe_addresses()["Addresses"]}
    assert "InstanceId" not in addresses[free] and "NetworkInterfaceId" not in addresses[free]
    assert addresses[used]["InstanceId"] == instance_id
    assert addresses[used]["AssociationId"].startswith("eipassoc-")


def test_platform_details_on_instances_and_images(ec2):
    windows, linux = _image(ec2, "windows"), _image(ec2)
    for image, details, operation in [(windows, "Windows", "RunInstances:0002"), (linux, "Linux/UNIX", "RunInstances")]:
        [described] = ec2.describe_images(ImageIds=[image])["Images"]
        assert (described["PlatformDetails"], described["UsageOperation"]) == (details, operation)
        instance_id = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
        instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
        assert (instance["PlatformDetails"], instance["UsageOperation"]) == (details, operation)


def test_lifecycle_and_group_filters(ec2):
    image = _image(ec2)
    ec2.create_placement_group(GroupName="hpc", Strategy="cluster")
    spot = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceMarketOptions={"MarketType": "spot"})[
        "Instances"
    ][0]["InstanceId"]
    grouped = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, Placement={"GroupName": "hpc"})["Instances"][0][
        "InstanceId"
    ]

    def ids(name: str, value: str) -> list[str]:
        reservations = ec2.describe_instances(Filters=[{"Name": name, "Values": [value]}])["Reservations"]
        return [i["InstanceId"] for r in reservations for i in r["Instances"]]

    assert ids("instance-lifecycle", "spot") == [spot]
    assert ids("placement-group-name", "hpc") == [grouped]
