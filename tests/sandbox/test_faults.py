"""Fault injection on the sandbox server: by API name, at run time, over HTTP."""

import time

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

from fleetui.sandbox.faults import fault_inject, faults_clear, faults_list

NO_RETRY = Config(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture
def ec2_once(aws):
    """An EC2 client that does not retry, so every injected failure is visible."""
    return boto3.client("ec2", region_name="us-east-1", endpoint_url=aws, config=NO_RETRY)


def _error(call) -> ClientError:
    with pytest.raises(ClientError) as excinfo:
        call()
    return excinfo.value


def test_count_fails_the_next_calls_then_recovers(aws, ec2_once):
    stored = fault_inject(endpoint=aws, action="DescribeInstances", error="RequestLimitExceeded", count=2)
    assert stored["count"] == 2

    for _ in range(2):
        error = _error(ec2_once.describe_instances)
        assert error.response["Error"]["Code"] == "RequestLimitExceeded"
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 503
        assert error.response["Error"]["Message"] == "Request limit exceeded."
    assert ec2_once.describe_instances()["Reservations"] == []
    assert faults_list(endpoint=aws) == []  # an exhausted fault is gone
    ec2_once.describe_vpcs()  # other actions were never affected


def test_botocore_standard_retry_rides_out_a_short_throttle(aws):
    retrying = boto3.client(
        "ec2", region_name="us-east-1", endpoint_url=aws, config=Config(retries={"mode": "standard", "max_attempts": 5})
    )
    fault_inject(endpoint=aws, action="DescribeInstances", error="RequestLimitExceeded", count=2)
    response = retrying.describe_instances()
    assert response["ResponseMetadata"]["RetryAttempts"] == 2


def test_clear_and_reset_remove_faults(aws, ec2_once):
    fault_inject(endpoint=aws, action="DescribeInstances", error="RequestLimitExceeded")
    fault_inject(endpoint=aws, action="DescribeVpcs", latency_ms=10)
    assert sorted(f["action"] for f in faults_list(endpoint=aws)) == ["DescribeInstances", "DescribeVpcs"]
    _error(ec2_once.describe_instances)  # no count: fails until cleared
    _error(ec2_once.describe_instances)
    faults_clear(endpoint=aws)
    assert faults_list(endpoint=aws) == []
    ec2_once.describe_instances()

    fault_inject(endpoint=aws, action="DescribeInstances", error="RequestLimitExceeded")
    requests.post(f"{aws}/moto-api/reset", timeout=30).raise_for_status()
    assert faults_list(endpoint=aws) == []
    ec2_once.describe_instances()


def test_delete_one_action(aws):
    fault_inject(endpoint=aws, action="DescribeInstances", error="RequestLimitExceeded")
    fault_inject(endpoint=aws, action="DescribeVpcs", error="RequestLimitExceeded")
    requests.delete(f"{aws}/fleetui-sandbox/faults", params={"action": "DescribeVpcs"}, timeout=30)
    assert [f["action"] for f in faults_list(endpoint=aws)] == ["DescribeInstances"]


def _timed(call) -> float:
    started = time.monotonic()
    call()
    return time.monotonic() - started


def test_latency_is_added(aws, ec2_once):
    ec2_once.describe_vpcs()  # warm up the backend
    assert _timed(ec2_once.describe_vpcs) < 0.25
    fault_inject(endpoint=aws, action="DescribeVpcs", latency_ms=300, count=1)
    assert _timed(ec2_once.describe_vpcs) >= 0.3
    assert _timed(ec2_once.describe_vpcs) < 0.25  # count=1: only the next call was slowed


def test_rate_throttles_a_deterministic_fraction(aws, ec2_once):
    def outcomes() -> list[bool]:
        fault_inject(endpoint=aws, action="DescribeVpcs", error="RequestLimitExceeded", rate=0.5, seed=3)
        results = []
        for _ in range(40):
            try:
                ec2_once.describe_vpcs()
                results.append(True)
            except ClientError as error:
                assert error.response["Error"]["Code"] == "RequestLimitExceeded"
                results.append(False)
        return results

    first = outcomes()
    assert 8 <= first.count(False) <= 32
    assert outcomes() == first  # same seed, same sequence


def test_insufficient_capacity_on_start_and_run(aws, ec2_once):
    image = ec2_once.describe_images(Owners=["amazon"], MaxResults=5)["Images"][0]["ImageId"]
    instance_id = ec2_once.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    ec2_once.stop_instances(InstanceIds=[instance_id])
    fault_inject(endpoint=aws, action="StartInstances", error="InsufficientInstanceCapacity", count=1)
    fault_inject(endpoint=aws, action="RunInstances", error="InsufficientInstanceCapacity", count=1)

    error = _error(lambda: ec2_once.start_instances(InstanceIds=[instance_id]))
    assert error.response["Error"]["Code"] == "InsufficientInstanceCapacity"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert "sufficient capacity" in error.response["Error"]["Message"]
    state = ec2_once.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["State"]
    assert state["Name"] == "stopped"  # the failed start changed nothing
    run_error = _error(lambda: ec2_once.run_instances(ImageId=image, MinCount=1, MaxCount=1))
    assert run_error.response["Error"]["Code"] == "InsufficientInstanceCapacity"
    assert len(ec2_once.describe_instances()["Reservations"]) == 1

    ec2_once.start_instances(InstanceIds=[instance_id])  # the next call succeeds
    state = ec2_once.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["State"]
    assert state["Name"] == "running"


def test_json_protocol_and_other_query_services(aws):
    ecs = boto3.client("ecs", region_name="us-east-1", endpoint_url=aws, config=NO_RETRY)
    sts = boto3.client("sts", region_name="us-east-1", endpoint_url=aws, config=NO_RETRY)
    fault_inject(endpoint=aws, action="ListClusters", error="ThrottlingException", count=1)
    fault_inject(endpoint=aws, action="GetCallerIdentity", error="Throttling", count=1, status=400)

    ecs_error = _error(ecs.list_clusters)
    assert ecs_error.response["Error"]["Code"] == "ThrottlingException"
    assert ecs_error.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert ecs.list_clusters()["clusterArns"] == []
    sts_error = _error(sts.get_caller_identity)
    assert sts_error.response["Error"]["Code"] == "Throttling"
    assert sts.get_caller_identity()["Account"] == "123456789012"


def test_wildcard_action(aws, ec2_once):
    fault_inject(endpoint=aws, action="*", error="RequestLimitExceeded", count=2)
    assert _error(ec2_once.describe_vpcs).response["Error"]["Code"] == "RequestLimitExceeded"
    assert _error(ec2_once.describe_subnets).response["Error"]["Code"] == "RequestLimitExceeded"
    ec2_once.describe_vpcs()


@pytest.mark.parametrize(
    "spec",
    [
        {"error": "RequestLimitExceeded"},
        {"action": "DescribeVpcs"},
        {"action": "DescribeVpcs", "error": "X", "rate": 1.5},
        {"action": "DescribeVpcs", "error": "X", "count": 0},
        {"action": "DescribeVpcs", "error": "X", "colour": "red"},
    ],
)
def test_invalid_spec_is_a_400(aws, spec):
    response = requests.post(f"{aws}/fleetui-sandbox/faults", json=spec, timeout=30)
    assert response.status_code == 400
    assert response.json()["error"]
    assert faults_list(endpoint=aws) == []


def test_rest_protocol_services_are_matched_by_method_and_path(aws):
    eks = boto3.client("eks", region_name="us-east-1", endpoint_url=aws, config=NO_RETRY)
    lambda_ = boto3.client("lambda", region_name="us-east-1", endpoint_url=aws, config=NO_RETRY)
    fault_inject(endpoint=aws, action="ListNodegroups", error="AccessDeniedException", count=1, status=403)
    fault_inject(endpoint=aws, action="ListFunctions", error="TooManyRequestsException", count=1, status=429)
    eks.create_cluster(name="c", roleArn="arn:aws:iam::123456789012:role/r", resourcesVpcConfig={})

    assert eks.list_clusters()["clusters"] == ["c"]  # another operation of the same service is not touched
    denied = _error(lambda: eks.list_nodegroups(clusterName="c"))
    assert (denied.response["Error"]["Code"], denied.response["ResponseMetadata"]["HTTPStatusCode"]) == (
        "AccessDeniedException",
        403,
    )
    assert eks.list_nodegroups(clusterName="c")["nodegroups"] == []
    assert _error(lambda_.list_functions).response["Error"]["Code"] == "TooManyRequestsException"
    assert lambda_.list_functions()["Functions"] == []
