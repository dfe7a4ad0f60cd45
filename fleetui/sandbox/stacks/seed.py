"""The CloudFormation part of the demo, through plain boto3 calls against the sandbox (account 123456789012,
us-east-1):

- `orders-sam`: a SAM stack (Transform AWS::Serverless-2016-10-31): the function `OrdersFunction` (python3.12, 512 MB,
  30 s) behind the API `OrdersApi` (stage `prod`, GET and POST /orders). The transform creates the Lambda function,
  its role `OrdersFunctionRole`, the REST API, its deployment and stage, and the permissions.
- `web-frontend`: a plain stack with a security group (HTTPS from anywhere) and an instance in it. After it is
  created, an SSH rule is added to the group outside CloudFormation: a drift detection finds the group MODIFIED.
- `network-baseline`: a security group for the VPC's internal traffic, with termination protection, a parameter and
  an exported output.
- `billing-etl`: a plain stack whose last update failed and whose rollback failed too (UPDATE_ROLLBACK_FAILED, its
  security group UPDATE_FAILED with CloudFormation's reason): a finding.
Nothing is seeded when us-east-1 is not one of the demo's regions.
"""

from __future__ import annotations

import json
from typing import Any

import boto3
import requests

from ..seed import DemoSeed
from .extensions import STATUS_PATH

ACCOUNT = "123456789012"
REGION = "us-east-1"
_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
HANDLER = "import json\n\ndef handler(event, context):\n    return {'statusCode': 200, 'body': json.dumps([])}\n"

ORDERS_SAM = {
    "AWSTemplateFormatVersion": "2010-09-09",
    "Transform": "AWS::Serverless-2016-10-31",
    "Description": "Orders API: one function behind a REST API (SAM)",
    "Globals": {"Function": {"Timeout": 30, "MemorySize": 512}},
    "Resources": {
        "OrdersApi": {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "prod", "Name": "orders-api"}},
        "OrdersFunction": {
            "Type": "AWS::Serverless::Function",
            "Properties": {
                "Handler": "app.handler",
                "Runtime": "python3.12",
                "InlineCode": HANDLER,
                "Tags": {"team": "orders"},
                "Events": {
                    "ListOrders": {
                        "Type": "Api",
                        "Properties": {"RestApiId": {"Ref": "OrdersApi"}, "Path": "/orders", "Method": "get"},
                    },
                    "CreateOrder": {
                        "Type": "Api",
                        "Properties": {"RestApiId": {"Ref": "OrdersApi"}, "Path": "/orders", "Method": "post"},
                    },
                },
            },
        },
    },
    "Outputs": {"FunctionName": {"Value": {"Ref": "OrdersFunction"}, "Description": "The orders function"}},
}


def _group(description: str, *rules: tuple[int, str]) -> dict[str, Any]:
    return {
        "Type": "AWS::EC2::SecurityGroup",
        "Properties": {
            "GroupDescription": description,
            "SecurityGroupIngress": [
                {"IpProtocol": "tcp", "FromPort": port, "ToPort": port, "CidrIp": cidr} for port, cidr in rules
            ],
        },
    }


def _web_frontend(image_id: str) -> dict[str, Any]:
    return {
        "Description": "Web frontend: an instance behind its security group",
        "Parameters": {"InstanceType": {"Type": "String", "Default": "t3.small"}},
        "Resources": {
            "WebSecurityGroup": _group("web frontend: HTTPS from anywhere", (443, "0.0.0.0/0")),
            "WebInstance": {
                "Type": "AWS::EC2::Instance",
                "Properties": {
                    "ImageId": image_id,
                    "InstanceType": {"Ref": "InstanceType"},
                    "SecurityGroupIds": [{"Ref": "WebSecurityGroup"}],
                    "Tags": [{"Key": "Name", "Value": "web-frontend-1"}, {"Key": "Owner", "Value": "web-team"}],
                },
            },
        },
        "Outputs": {"InstanceId": {"Value": {"Ref": "WebInstance"}}},
    }


NETWORK_BASELINE = {
    "Description": "Baseline network rules shared by every service",
    "Parameters": {"Env": {"Type": "String", "Default": "prod"}},
    "Resources": {"InternalSecurityGroup": _group("internal traffic", (443, "10.0.0.0/8"), (8080, "10.0.0.0/8"))},
    "Outputs": {
        "InternalGroupId": {
            "Value": {"Ref": "InternalSecurityGroup"},
            "Export": {"Name": "network-baseline-internal-sg"},
            "Description": "Attach to anything that talks inside the VPC",
        }
    },
}
BILLING_ETL = {
    "Description": "Billing ETL workers' network",
    "Resources": {"EtlSecurityGroup": _group("billing etl", (5432, "10.20.0.0/16"))},
}
ROLLBACK_REASON = (
    "Resource handler returned message: \"The security group 'sg-billing-etl' has a dependent object "
    '(Service: Ec2, Status Code: 400, Request ID: 5e1c7a9e)" (HandlerErrorCode: InvalidRequest)'
)


def _client(service: str, endpoint: str) -> Any:
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint, **_KEYS)


def _image(ec2: Any) -> str:
    images = ec2.describe_images(Owners=["amazon"], Filters=[{"Name": "name", "Values": ["amzn2-ami-hvm-*x86_64*"]}])
    return sorted(image["ImageId"] for image in images["Images"])[0]


def stacks_seed(*, endpoint: str, regions: list[str]) -> dict[str, Any]:
    """Seed the CloudFormation demo into the running sandbox (no reset). Returns counts."""
    counts = {"stacks": 0, "sam": 0, "findings": 0, "instances": 0}
    if REGION not in regions:
        return counts
    cfn, ec2 = _client("cloudformation", endpoint), _client("ec2", endpoint)
    tags = [{"Key": "team", "Value": "platform"}]
    cfn.create_stack(
        StackName="orders-sam", TemplateBody=json.dumps(ORDERS_SAM), Tags=[{"Key": "team", "Value": "orders"}],
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_AUTO_EXPAND"],
    )  # fmt: skip
    cfn.create_stack(StackName="web-frontend", TemplateBody=json.dumps(_web_frontend(_image(ec2))), Tags=tags)
    cfn.create_stack(
        StackName="network-baseline", TemplateBody=json.dumps(NETWORK_BASELINE), Tags=tags,
        EnableTerminationProtection=True,
    )  # fmt: skip
    cfn.create_stack(StackName="billing-etl", TemplateBody=json.dumps(BILLING_ETL), Tags=tags)
    # Drift: someone opened SSH on the web frontend's group by hand.
    web = cfn.describe_stack_resource(StackName="web-frontend", LogicalResourceId="WebSecurityGroup")
    ec2.authorize_security_group_ingress(
        GroupId=web["StackResourceDetail"]["PhysicalResourceId"],
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    body = {
        "account_id": ACCOUNT, "region": REGION, "stack": "billing-etl", "status": "UPDATE_ROLLBACK_FAILED",
        "reason": "The following resource(s) failed to update: [EtlSecurityGroup]. ", "logical_id": "EtlSecurityGroup",
        "resource_status": "UPDATE_FAILED", "resource_reason": ROLLBACK_REASON,
    }  # fmt: skip
    requests.post(endpoint + STATUS_PATH, json=body, timeout=10).raise_for_status()
    return {"stacks": 4, "sam": 1, "findings": 1, "instances": 1}


def seed(demo: DemoSeed) -> None:
    """The service hook: the CloudFormation demo, counted under "stacks"; its instance is a running EC2 instance."""
    counts = stacks_seed(endpoint=demo.endpoint, regions=demo.regions)
    demo.summary["stacks"] = counts
    demo.instances_add(running=counts["instances"])


def describe(summary: dict[str, Any]) -> str:
    """The service hook: CloudFormation's phrase of the seed line."""
    counts = summary["stacks"]
    return f"{counts['stacks']} CloudFormation stacks ({counts['sam']} SAM)"
