"""Declarative queries (fleetui.aws.query) against moto's server: every page, ids by filter or by parameter, items
nested one level down, and children read once per parent."""

import boto3
import pytest

from fleetui.aws import AMBIENT
from fleetui.aws.ec2 import INSTANCES, KEY_PAIRS
from fleetui.aws.query import PARENT_KEY, Query

OBJECTS = Query("s3", "list_objects_v2", "Contents", page_size=2, parent_param="Bucket")


def test_a_query_reads_every_page_and_flattens_nested_items(ec2):
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    for _ in range(3):
        ec2.run_instances(ImageId=image, MinCount=2, MaxCount=2)
    pages = list(INSTANCES.pages(account=AMBIENT, region="us-east-1"))
    instances = [item for page in pages for item in page]
    assert len(instances) == 6 and all(item["InstanceId"].startswith("i-") for item in instances)


def test_ids_go_out_as_a_filter_in_chunks_and_an_empty_list_makes_no_call(ec2):
    for name in ("a", "b", "c"):
        ec2.create_key_pair(KeyName=name)
    chunked = Query("ec2", "describe_key_pairs", "KeyPairs", id_filter="key-name", chunk=2)
    pages = list(chunked.pages(account=AMBIENT, region="us-east-1", ids=["a", "c", "gone", "a"]))
    assert [sorted(k["KeyName"] for k in page) for page in pages] == [["a", "c"], []]
    assert list(KEY_PAIRS.pages(account=AMBIENT, region="us-east-1", ids=[])) == []


def test_children_are_read_per_parent_and_tagged_with_it(aws):
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=aws)
    for bucket, count in (("logs", 3), ("assets", 1), ("empty", 0)):
        s3.create_bucket(Bucket=bucket)
        for n in range(count):
            s3.put_object(Bucket=bucket, Key=f"k{n}", Body=b"x")
    pages = list(OBJECTS.pages(account=AMBIENT, region="us-east-1", parents=["logs", "assets", "empty"]))
    found = [(item[PARENT_KEY], item["Key"]) for page in pages for item in page]
    assert found == [("logs", "k0"), ("logs", "k1"), ("logs", "k2"), ("assets", "k0")]
    assert len(pages) >= 3  # logs came in pages of 2
    assert list(OBJECTS.pages(account=AMBIENT, region="us-east-1")) == []  # no parents, no call


def test_a_query_without_an_id_filter_refuses_ids(aws):
    with pytest.raises(ValueError, match="cannot be asked for some ids"):
        list(OBJECTS.pages(account=AMBIENT, region="us-east-1", ids=["x"], parents=["logs"]))
