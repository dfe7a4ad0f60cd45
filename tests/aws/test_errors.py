"""botocore's errors become a few domain errors that keep the AWS code and read well."""

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError, ReadTimeoutError
from botocore.parsers import ResponseParserError

from fleetui.aws import (
    AwsAccessDenied,
    AwsInsufficientCapacity,
    AwsInvalidRequest,
    AwsNotFound,
    AwsThrottled,
    AwsUnavailable,
    aws_errors,
)


def client_error(code: str, message: str = "details", status: int = 400) -> ClientError:
    response = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return ClientError(response, "DescribeInstances")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("AccessDenied", AwsAccessDenied),
        ("AuthFailure", AwsAccessDenied),
        ("UnauthorizedOperation", AwsAccessDenied),
        ("UnrecognizedClientException", AwsAccessDenied),
        ("InvalidClientTokenId", AwsAccessDenied),
        ("OptInRequired", AwsAccessDenied),
        ("RequestLimitExceeded", AwsThrottled),
        ("Throttling", AwsThrottled),
        ("InvalidInstanceID.NotFound", AwsNotFound),
        ("InvalidInstanceID.Malformed", AwsNotFound),
        ("InvalidParameterValue", AwsInvalidRequest),
    ],
)
def test_client_errors_are_classified_and_keep_the_code(code, expected):
    with pytest.raises(expected) as caught, aws_errors("DescribeInstances"):
        raise client_error(code, "the AWS message")
    assert caught.value.code == code
    assert caught.value.operation == "DescribeInstances"
    assert "DescribeInstances: the AWS message" in str(caught.value)
    assert f"[{code}]" in str(caught.value)


def test_server_errors_are_unavailable():
    with pytest.raises(AwsUnavailable), aws_errors("DescribeInstances"):
        raise client_error("SomethingOdd", status=503)


@pytest.mark.parametrize("code", ["InsufficientInstanceCapacity", "InsufficientCapacity"])
@pytest.mark.parametrize("status", [400, 500])
def test_insufficient_capacity_is_its_own_unavailable_error(code, status):
    # EC2 may answer a capacity shortage with a 500; it must still read as capacity, not as a server error.
    with pytest.raises(AwsInsufficientCapacity, match="no capacity for this request") as caught, aws_errors("X"):
        raise client_error(code, "We currently do not have sufficient capacity", status=status)
    assert isinstance(caught.value, AwsUnavailable)
    assert caught.value.code == code
    assert caught.value.operation == "X"
    assert "sufficient capacity" in str(caught.value)


def test_host_capacity_is_not_instance_capacity():
    with pytest.raises(AwsInvalidRequest) as caught, aws_errors("RunInstances"):
        raise client_error("InsufficientHostCapacity")
    assert not isinstance(caught.value, AwsUnavailable)


def test_opt_in_message_says_what_to_do():
    with pytest.raises(AwsAccessDenied, match="not opted in"), aws_errors("DescribeInstances"):
        raise client_error("OptInRequired")


@pytest.mark.parametrize(
    ("error", "expected", "words"),
    [
        (EndpointConnectionError(endpoint_url="https://ec2.xx-fake-1.amazonaws.com/"), AwsUnavailable, "region"),
        (ReadTimeoutError(endpoint_url="https://ec2.us-east-1.amazonaws.com/"), AwsUnavailable, "in time"),
        (NoCredentialsError(), AwsAccessDenied, "credentials"),
        (ResponseParserError("invalid XML"), AwsUnavailable, "did not answer properly"),
    ],
)
def test_botocore_errors_are_translated(error, expected, words):
    with pytest.raises(expected, match=words) as caught, aws_errors("DescribeRegions"):
        raise error
    assert caught.value.code == type(error).__name__


def test_other_exceptions_pass_through():
    with pytest.raises(KeyError), aws_errors("x"):
        raise KeyError("not an AWS error")
