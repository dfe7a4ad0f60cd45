"""Helpers that build a fleet in the moto server with plain boto3 (tests may use boto3 directly)."""

import boto3

DEFAULT_ID = "123456789012"
SECOND_ID = "210987654321"
SECOND_ROLE = f"arn:aws:iam::{SECOND_ID}:role/fleetui-read"


# moto ignores MaxResults and serializes all ~1,300 preloaded AMIs on every DescribeImages (~0.7 s of CPU), and a
# reset preloads the same AMIs again: the first one is looked up once per process, endpoint and region.
_AMAZON_IMAGE: dict[tuple[str, str], str] = {}


def launch(ec2, count: int = 1, instance_type: str = "m5.large", **extra) -> list[str]:
    """Launch instances with plain boto3 and return their ids."""
    key = (ec2.meta.endpoint_url, ec2.meta.region_name)
    if key not in _AMAZON_IMAGE:
        _AMAZON_IMAGE[key] = ec2.describe_images(Owners=["amazon"], MaxResults=5)["Images"][0]["ImageId"]
    image_id = _AMAZON_IMAGE[key]
    answer = ec2.run_instances(ImageId=image_id, MinCount=count, MaxCount=count, InstanceType=instance_type, **extra)
    return [instance["InstanceId"] for instance in answer["Instances"]]


def second_account_ec2(endpoint: str, region: str = "us-east-1"):
    """A boto3 EC2 client acting in the second account (moto maps assumed-role keys to the role's account)."""
    sts = boto3.client("sts", region_name=region, endpoint_url=endpoint)
    creds = sts.assume_role(RoleArn=SECOND_ROLE, RoleSessionName="test")["Credentials"]
    return boto3.client(
        "ec2",
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
