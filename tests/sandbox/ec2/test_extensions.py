"""Smaller moto fixes: DescribeAddresses, PlatformDetails and DescribeInstances paging shaped like real EC2; filters."""

import pytest
from botocore.exceptions import ClientError


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


SQL_2016 = "Windows_Server-2016-English-Full-SQL_2016_SP1_"


@pytest.mark.parametrize(
    ("name", "details", "operation"),
    [
        (f"{SQL_2016}Standard-*", "Windows with SQL Server Standard", "RunInstances:0006"),
        (f"{SQL_2016}Enterprise-*", "Windows with SQL Server Enterprise", "RunInstances:0102"),
        (f"{SQL_2016}Web-*", "Windows with SQL Server Web", "RunInstances:0202"),
        (f"{SQL_2016}Express-*", "Windows", "RunInstances:0002"),  # Express is free
        ("RHEL-7.4_HVM_GA-*", "Red Hat Enterprise Linux", "RunInstances:0010"),
        ("suse-sles-12-*", "SUSE Linux", "RunInstances:000g"),
    ],
)  # fmt: skip
def test_bundled_software_bills_as_the_user_guide_says(ec2, name, details, operation):
    [image] = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": [name]}])["Images"]
    assert (image["PlatformDetails"], image["UsageOperation"]) == (details, operation)
    instance_id = ec2.run_instances(ImageId=image["ImageId"], MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    copy = ec2.create_image(InstanceId=instance_id, Name=f"golden-{operation}")["ImageId"]
    instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    assert (instance["PlatformDetails"], instance["UsageOperation"]) == (details, operation)
    # An image made from the instance bills as the instance did.
    [made] = ec2.describe_images(ImageIds=[copy])["Images"]
    assert (made["PlatformDetails"], made["UsageOperation"]) == (details, operation)


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


def test_describe_instances_pages_by_instance(ec2):
    image = _image(ec2)
    launched = []
    for count in (12, 1, 7):  # three reservations
        reservation = ec2.run_instances(ImageId=image, MinCount=count, MaxCount=count)
        launched += [i["InstanceId"] for i in reservation["Instances"]]

    pages = list(ec2.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": 5}))
    per_page = [sum(len(r["Instances"]) for r in page["Reservations"]) for page in pages]
    assert per_page == [5, 5, 5, 5]
    seen = [i["InstanceId"] for page in pages for r in page["Reservations"] for i in r["Instances"]]
    assert seen == launched  # split reservations, nothing lost or repeated, in launch order
    assert len(ec2.describe_instances()["Reservations"]) == 3  # no MaxResults: everything, by reservation
    assert "NextToken" not in ec2.describe_instances()


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"MaxResults": 3}, "InvalidParameterValue"),
        ({"MaxResults": 5, "NextToken": "i-0123456789abcdef0"}, "InvalidParameterValue"),
        ({"MaxResults": 5, "InstanceIds": ["i-0123456789abcdef0"]}, "InvalidParameterCombination"),
    ],
)
def test_describe_instances_paging_errors(ec2, params, code):
    with pytest.raises(ClientError) as excinfo:
        ec2.describe_instances(**params)
    assert excinfo.value.response["Error"]["Code"] == code
