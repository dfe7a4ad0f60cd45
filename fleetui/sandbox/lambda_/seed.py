"""The Lambda part of the demo, through plain boto3 calls against the sandbox (account 123456789012).

In us-east-1 (each function with the role `lambda-exec`):
- `orders-api` (python3.12, arm64, published versions 1 and 2, alias `live` on 2 with 10% on 1) and
  `payments-webhook` (nodejs20.x, in the VPC): what the demo's API Gateway integrates;
- `image-resizer` (10,240 MB: near the memory limit) and `nightly-report` (900 s: near the timeout limit);
- `legacy-cron` (python3.7: a deprecated runtime, and nothing refers to it);
- `queue-worker`, invoked by an event source mapping from the SQS queue `orders-queue` (batch 10, 5 s window), with
  20 executions reserved;
- `inventory-sync` (java21, in the VPC, 5 reserved) and `thumbnail-cleanup` (provided.al2023, arm64).
In eu-west-1: `reports-eu` (python3.13) and `legacy-etl` (nodejs16.x, deprecated).
VPC functions use the demo's subnets and its `internal-only` and `db-private` security groups (the default VPC's
`default` group when EC2's demo is not seeded). Seeded with the update delay at 0, then restored.
"""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
from typing import Any

import boto3
import requests

from ..seed import DemoSeed
from .extensions import CONTROL_PATH

ACCOUNT = "123456789012"
_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
ROLE_NAME = "lambda-exec"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}"
QUEUE = "orders-queue"
VPC_GROUPS = ("internal-only", "db-private")
# (region, name, runtime, handler, memory MB, timeout s, extra CreateFunction parameters, tags)
FUNCTIONS: list[tuple[str, str, str, str, int, int, dict[str, Any], dict[str, str]]] = [
    ("us-east-1", "orders-api", "python3.12", "app.handler", 512, 30, {"Architectures": ["arm64"]},
     {"team": "shop", "env": "prod"}),
    ("us-east-1", "payments-webhook", "nodejs20.x", "index.handler", 256, 15, {"vpc": True},
     {"team": "payments", "env": "prod"}),
    ("us-east-1", "image-resizer", "python3.12", "resize.handler", 10240, 120, {"EphemeralStorage": {"Size": 4096}},
     {"team": "media"}),
    ("us-east-1", "nightly-report", "python3.12", "report.main", 2048, 900, {}, {"team": "data"}),
    ("us-east-1", "legacy-cron", "python3.7", "cron.run", 128, 60, {"Description": "Old cleanup cron"},
     {"team": "ops"}),
    ("us-east-1", "queue-worker", "python3.12", "worker.handler", 512, 60, {}, {"team": "shop"}),
    ("us-east-1", "inventory-sync", "java21", "com.example.Sync::handle", 1024, 300, {"vpc": True},
     {"team": "shop"}),
    ("us-east-1", "thumbnail-cleanup", "provided.al2023", "bootstrap", 256, 30, {"Architectures": ["arm64"]},
     {"team": "media"}),
    ("eu-west-1", "reports-eu", "python3.13", "report.main", 1024, 300, {}, {"team": "data"}),
    ("eu-west-1", "legacy-etl", "nodejs16.x", "index.handler", 512, 600, {}, {"team": "data"}),
]  # fmt: skip
RESERVED = {"queue-worker": 20, "inventory-sync": 5}


def code_zip() -> bytes:
    """A tiny deployment package (the sandbox never runs it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return {'statusCode': 200}\n")
    return buffer.getvalue()


def _role(endpoint: str) -> None:
    iam = boto3.client("iam", region_name="us-east-1", endpoint_url=endpoint, **_KEYS)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    with contextlib.suppress(iam.exceptions.EntityAlreadyExistsException):
        iam.create_role(RoleName=ROLE_NAME, AssumeRolePolicyDocument=json.dumps(trust))


def vpc_config(endpoint: str, region: str) -> dict[str, list[str]]:
    """Two of the default VPC's subnets and the demo's private security groups (else the VPC's default group)."""
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=endpoint, **_KEYS)
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    chosen = [s["SubnetId"] for s in sorted(subnets, key=lambda s: s["AvailabilityZone"])[:2]]
    groups = ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": list(VPC_GROUPS)}]
    )["SecurityGroups"]
    if not groups:
        groups = ec2.describe_security_groups(
            Filters=[{"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}]
        )["SecurityGroups"]
    return {"SubnetIds": chosen, "SecurityGroupIds": sorted(g["GroupId"] for g in groups)}


def lambda_seed(*, endpoint: str, regions: list[str]) -> dict[str, int]:
    """Seed the Lambda demo into the running sandbox (no reset). Returns counts (functions, mappings)."""
    before = requests.get(endpoint + CONTROL_PATH, timeout=10).json()
    requests.post(endpoint + CONTROL_PATH, json={"delay": 0}, timeout=10).raise_for_status()
    counts = {"functions": 0, "event_source_mappings": 0}
    try:
        _role(endpoint)
        package = code_zip()
        for region, name, runtime, handler, memory, timeout, extra, tags in FUNCTIONS:
            if region not in regions:
                continue
            client = boto3.client("lambda", region_name=region, endpoint_url=endpoint, **_KEYS)
            params = {key: value for key, value in extra.items() if key != "vpc"}
            if extra.get("vpc"):
                params["VpcConfig"] = vpc_config(endpoint, region)
            client.create_function(
                FunctionName=name, Runtime=runtime, Role=ROLE_ARN, Handler=handler, Code={"ZipFile": package},
                MemorySize=memory, Timeout=timeout, Tags=tags, **params,
            )  # fmt: skip
            counts["functions"] += 1
            if name in RESERVED:
                client.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=RESERVED[name])
            if name == "orders-api":
                _versions(client, name)
            if name == "queue-worker":
                _queue_mapping(endpoint, client, region, name)
                counts["event_source_mappings"] += 1
    finally:
        requests.post(endpoint + CONTROL_PATH, json={"delay": before["delay"]}, timeout=10).raise_for_status()
    return counts


def _versions(client: Any, name: str) -> None:
    client.publish_version(FunctionName=name, Description="first release")
    client.update_function_configuration(FunctionName=name, Description="Orders REST API")
    second = client.publish_version(FunctionName=name, Description="orders v2")["Version"]
    client.create_alias(
        FunctionName=name, Name="live", FunctionVersion=second, Description="what API Gateway calls",
        RoutingConfig={"AdditionalVersionWeights": {"1": 0.1}},
    )  # fmt: skip


def _queue_mapping(endpoint: str, client: Any, region: str, name: str) -> None:
    sqs = boto3.client("sqs", region_name=region, endpoint_url=endpoint, **_KEYS)
    url = sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    client.create_event_source_mapping(
        EventSourceArn=arn, FunctionName=name, BatchSize=10, MaximumBatchingWindowInSeconds=5
    )


def seed(demo: DemoSeed) -> None:
    """The service hook: the Lambda demo in the demo's regions, counted under "lambda"."""
    demo.summary["lambda"] = lambda_seed(endpoint=demo.endpoint, regions=demo.regions)


def describe(summary: dict[str, Any]) -> str:
    """The service hook: Lambda's phrase of the seed line."""
    counts = summary["lambda"]
    return f"{counts['functions']} Lambda functions"
