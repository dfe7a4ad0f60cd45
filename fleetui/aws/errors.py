"""A few domain errors that say what went wrong in words a person understands, keeping the AWS code.

Everything botocore raises while fleetui talks to AWS is translated by `aws_errors()` into one of:

- `AwsAccessDenied`: AccessDenied, AuthFailure, UnauthorizedOperation, the credential errors
  (UnrecognizedClientException, InvalidClientTokenId, SignatureDoesNotMatch, ExpiredToken...) and the
  opt-in errors (OptInRequired): this account or region cannot be read with these credentials.
- `AwsThrottled`: RequestLimitExceeded, Throttling... still failing after botocore's retries.
- `AwsNotFound`: a *.NotFound / *.Malformed id the caller named.
- `AwsInvalidRequest`: a request AWS (or botocore's own validation) refused as malformed.
- `AwsUnavailable`: the endpoint cannot be reached, timed out, or answered with a server error or
  something that is not an AWS response (an unknown region, a network outage, an endpoint down).
- `AwsInsufficientCapacity` (an `AwsUnavailable`): InsufficientInstanceCapacity, InsufficientCapacity: AWS has
  no capacity for the instance type in that zone right now; nothing was launched or started, and trying later,
  another type or another zone may succeed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botocore import exceptions as bx
from botocore.parsers import ResponseParserError


class AwsError(Exception):
    """Base of every error fleetui.aws raises. `code` is the AWS error code (or botocore's error class)."""

    def __init__(self, message: str, *, code: str = "", operation: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.operation = operation

    def __str__(self) -> str:
        return f"{self.message} [{self.code}]" if self.code else self.message


class AwsAccessDenied(AwsError):
    """The credentials are missing, wrong or expired, or lack permission, or the region is not opted in."""


class AwsThrottled(AwsError):
    """AWS kept throttling the call after every retry."""


class AwsNotFound(AwsError):
    """The resource named in the request does not exist."""


class AwsInvalidRequest(AwsError):
    """The request was malformed: a bad parameter, region name or filter."""


class AwsUnavailable(AwsError):
    """The endpoint could not be reached or did not answer properly."""


class AwsInsufficientCapacity(AwsUnavailable):
    """AWS has no capacity for this request right now (InsufficientInstanceCapacity, InsufficientCapacity).

    A subclass of AwsUnavailable because it is transient and AWS may send it as a 500; callers that want to tell
    the user to try another type or zone catch it first.
    """


ACCESS_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "AuthFailure",
        "UnauthorizedOperation",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "RequestExpired",
        "OptInRequired",
        "InvalidAccessKeyId",
        "MissingAuthenticationToken",
        "Blocked",
    }
)
THROTTLED_CODES = frozenset(
    {
        "RequestLimitExceeded",
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestThrottled",
        "RequestThrottledException",
        "SlowDown",
        "EC2ThrottledException",
        "BandwidthLimitExceeded",
    }
)
UNAVAILABLE_CODES = frozenset({"InternalError", "InternalFailure", "ServiceUnavailable", "Unavailable"})
INSUFFICIENT_CAPACITY_CODES = frozenset({"InsufficientInstanceCapacity", "InsufficientCapacity"})


def _client_error(error: bx.ClientError, operation: str) -> AwsError:
    info = error.response.get("Error", {})
    code = str(info.get("Code", "Unknown"))
    detail = str(info.get("Message", "")).strip()
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
    what = f"{operation}: {detail}" if detail else operation
    if code in ACCESS_DENIED_CODES:
        if code == "OptInRequired":
            return AwsAccessDenied(f"The account has not opted in to this region or service ({what})", code=code)
        return AwsAccessDenied(f"AWS refused the credentials or the permission for {what}", code=code)
    if code in THROTTLED_CODES:
        return AwsThrottled(f"AWS is throttling the calls; gave up after retries ({what})", code=code)
    if code.endswith(".NotFound") or code.endswith("NotFoundException") or code.endswith(".Malformed"):
        return AwsNotFound(f"Not found: {what}", code=code)
    # Before the status check: EC2 sends capacity errors as 500s, and they deserve their own words.
    if code in INSUFFICIENT_CAPACITY_CODES:
        return AwsInsufficientCapacity(f"AWS has no capacity for this request right now ({what})", code=code)
    if code in UNAVAILABLE_CODES or status >= 500:
        return AwsUnavailable(f"AWS answered with a server error ({what})", code=code)
    return AwsInvalidRequest(f"AWS refused the request ({what})", code=code)


def aws_error_from(error: Exception, operation: str = "") -> AwsError | None:
    """The domain error for a botocore exception, or None when `error` is not one fleetui translates."""
    if isinstance(error, AwsError):
        return error
    if isinstance(error, bx.ClientError):
        found = _client_error(error, operation)
    elif isinstance(error, bx.NoCredentialsError | bx.PartialCredentialsError | bx.CredentialRetrievalError):
        found = AwsAccessDenied(f"No usable AWS credentials: {error}", code=type(error).__name__)
    elif isinstance(error, bx.ConnectTimeoutError | bx.ReadTimeoutError):
        found = AwsUnavailable(f"AWS did not answer in time: {error}", code=type(error).__name__)
    elif isinstance(error, bx.EndpointConnectionError):
        found = AwsUnavailable(
            f"Cannot reach the AWS endpoint; the region may not exist or the network is down: {error}",
            code=type(error).__name__,
        )
    elif isinstance(error, bx.ConnectionError | bx.HTTPClientError | ResponseParserError):
        found = AwsUnavailable(f"The AWS endpoint did not answer properly: {error}", code=type(error).__name__)
    elif isinstance(error, bx.NoRegionError | bx.InvalidRegionError | bx.ParamValidationError):
        found = AwsInvalidRequest(f"Invalid request: {error}", code=type(error).__name__)
    else:
        return None
    found.operation = operation
    return found


@contextmanager
def aws_errors(operation: str = "") -> Iterator[None]:
    """Translate botocore's exceptions raised inside the block into fleetui's domain errors."""
    try:
        yield
    except AwsError:
        raise
    except (bx.BotoCoreError, bx.ClientError, ResponseParserError) as error:
        found = aws_error_from(error, operation)
        if found is None:
            raise
        raise found from error
