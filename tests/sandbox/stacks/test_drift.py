"""The sandbox's drift detection through boto3: DETECTION_IN_PROGRESS for the delay, then DETECTION_COMPLETE with
the stack DRIFTED when a security group's rules were changed outside CloudFormation (MODIFIED in ListStackResources,
DriftInformation on DescribeStacks), IN_SYNC otherwise; AWS's ValidationErrors for a stack it does not know or one in
a status it does not check; the status control path."""

import json
import time

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

REGION = "us-east-1"
GROUP = {
    "Type": "AWS::EC2::SecurityGroup",
    "Properties": {
        "GroupDescription": "g",
        "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}],
    },
}


def test_detection_over_the_delay_finds_a_changed_security_group(aws):
    requests.post(f"{aws}/fleetui-sandbox/stacks", json={"delay": 0.5}, timeout=10).raise_for_status()
    cfn = boto3.client("cloudformation", region_name=REGION, endpoint_url=aws)
    for name in ("changed", "kept"):
        cfn.create_stack(StackName=name, TemplateBody=json.dumps({"Resources": {"Group": GROUP}}))
    group_id = cfn.describe_stack_resource(StackName="changed", LogicalResourceId="Group")["StackResourceDetail"][
        "PhysicalResourceId"
    ]
    boto3.client("ec2", region_name=REGION, endpoint_url=aws).authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    assert cfn.describe_stacks(StackName="changed")["Stacks"][0]["DriftInformation"]["StackDriftStatus"] == (
        "NOT_CHECKED"
    )
    changed, kept = (cfn.detect_stack_drift(StackName=name)["StackDriftDetectionId"] for name in ("changed", "kept"))
    assert cfn.describe_stack_drift_detection_status(StackDriftDetectionId=changed)["DetectionStatus"] == (
        "DETECTION_IN_PROGRESS"
    )
    time.sleep(0.6)
    done = cfn.describe_stack_drift_detection_status(StackDriftDetectionId=changed)
    assert (done["DetectionStatus"], done["StackDriftStatus"], done["DriftedStackResourceCount"]) == (
        "DETECTION_COMPLETE", "DRIFTED", 1,
    )  # fmt: skip
    assert cfn.describe_stack_drift_detection_status(StackDriftDetectionId=kept)["StackDriftStatus"] == "IN_SYNC"
    [resource] = cfn.list_stack_resources(StackName="changed")["StackResourceSummaries"]
    assert resource["DriftInformation"]["StackResourceDriftStatus"] == "MODIFIED"
    assert cfn.describe_stacks(StackName="changed")["Stacks"][0]["DriftInformation"]["StackDriftStatus"] == "DRIFTED"


def test_validation_errors_and_the_status_control_path(aws):
    cfn = boto3.client("cloudformation", region_name=REGION, endpoint_url=aws)
    with pytest.raises(ClientError, match="Stack with id nope does not exist"):
        cfn.detect_stack_drift(StackName="nope")
    cfn.create_stack(StackName="etl", TemplateBody=json.dumps({"Resources": {"Group": GROUP}}))
    body = {"account_id": "123456789012", "region": REGION, "stack": "etl", "status": "ROLLBACK_COMPLETE",
            "reason": "boom", "logical_id": "Group", "resource_status": "CREATE_FAILED"}  # fmt: skip
    requests.post(f"{aws}/fleetui-sandbox/stacks/status", json=body, timeout=10).raise_for_status()
    stack = cfn.describe_stacks(StackName="etl")["Stacks"][0]
    assert (stack["StackStatus"], stack["StackStatusReason"]) == ("ROLLBACK_COMPLETE", "boom")
    [resource] = cfn.list_stack_resources(StackName="etl")["StackResourceSummaries"]
    assert (resource["ResourceStatus"], resource["ResourceStatusReason"]) == ("CREATE_FAILED", "boom")
    with pytest.raises(ClientError, match="not supported for stacks in ROLLBACK_COMPLETE"):
        cfn.detect_stack_drift(StackName="etl")
    unknown = requests.post(f"{aws}/fleetui-sandbox/stacks/status", json={**body, "stack": "x"}, timeout=10)
    assert unknown.status_code == 400
