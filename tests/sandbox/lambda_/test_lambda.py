"""fleetui's Lambda in the sandbox: configuration updates InProgress for the delay then Successful (a second one
refused meanwhile, as Lambda does), a Failed update on demand, GetAccountSettings, the unreserved floor of
PutFunctionConcurrency, a reservation of 0 in GetFunction, and a VPC function's real VPC id; no Docker involved."""

import time

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from fleetui.sandbox.lambda_.seed import ROLE_ARN, _role, code_zip

REGION = "us-east-1"


@pytest.fixture
def lam(aws):
    _role(aws)
    client = boto3.client("lambda", region_name=REGION, endpoint_url=aws)
    client.create_function(
        FunctionName="fn", Runtime="python3.12", Role=ROLE_ARN, Handler="app.handler", Code={"ZipFile": code_zip()}
    )
    return client


def test_updates_take_the_delay_and_a_second_one_is_refused_meanwhile(aws, lam):
    control = f"{aws}/fleetui-sandbox/lambda_"
    assert requests.post(control, json={"delay": -1}, timeout=10).status_code == 400
    assert requests.post(control, json={"delay": 0.5}, timeout=10).json() == {"delay": 0.5}
    assert lam.update_function_configuration(FunctionName="fn", MemorySize=1024)["LastUpdateStatus"] == "InProgress"
    with pytest.raises(ClientError) as busy:
        lam.update_function_configuration(FunctionName="fn", Timeout=60)
    assert busy.value.response["Error"]["Code"] == "ResourceConflictException"
    time.sleep(0.6)
    config = lam.get_function_configuration(FunctionName="fn")
    assert (config["LastUpdateStatus"], config["MemorySize"]) == ("Successful", 1024)

    fail = {"account_id": "123456789012", "region": REGION, "function": "fn", "reason": "Subnet has no free IPs"}
    requests.post(f"{control}/fail", json=fail, timeout=10).raise_for_status()
    requests.post(control, json={"delay": 0}, timeout=10).raise_for_status()
    lam.update_function_configuration(FunctionName="fn", Timeout=60)
    config = lam.get_function_configuration(FunctionName="fn")
    assert (config["LastUpdateStatus"], config["LastUpdateStatusReason"]) == ("Failed", "Subnet has no free IPs")
    assert requests.post(f"{control}/fail", json={**fail, "function": "nope"}, timeout=10).status_code == 400


def test_account_settings_concurrency_floor_and_vpc(aws, lam, ec2):
    lam.put_function_concurrency(FunctionName="fn", ReservedConcurrentExecutions=0)
    assert lam.get_function(FunctionName="fn")["Concurrency"] == {"ReservedConcurrentExecutions": 0}
    lam.put_function_concurrency(FunctionName="fn", ReservedConcurrentExecutions=200)
    limits = lam.get_account_settings()["AccountLimit"]
    assert (limits["ConcurrentExecutions"], limits["UnreservedConcurrentExecutions"]) == (1000, 800)
    assert (
        lam.put_function_concurrency(FunctionName="fn", ReservedConcurrentExecutions=900)[
            "ReservedConcurrentExecutions"
        ]
        == 900
    )  # its own 200 are given back first: 100 stay unreserved
    with pytest.raises(ClientError) as refused:
        lam.put_function_concurrency(FunctionName="fn", ReservedConcurrentExecutions=901)
    assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"
    assert "below its minimum value of [100]" in refused.value.response["Error"]["Message"]

    subnet = ec2.describe_subnets()["Subnets"][0]
    group = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"][0]["GroupId"]
    lam.update_function_configuration(
        FunctionName="fn", VpcConfig={"SubnetIds": [subnet["SubnetId"]], "SecurityGroupIds": [group]}
    )
    assert lam.get_function_configuration(FunctionName="fn")["VpcConfig"]["VpcId"] == subnet["VpcId"]
