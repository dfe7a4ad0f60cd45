"""The only door to AWS: boto3 and botocore are imported here and nowhere else in the product.

It takes an `AccountRef` and a region, and returns plain dicts; it knows nothing of Django or models.
"""

from .clients import (
    AMBIENT,
    QUICK,
    STANDARD,
    AccountRef,
    caller_account_id,
    calls_profile,
    client_get,
    clients_clear,
    paginate,
    session_get,
)
from .errors import (
    AwsAccessDenied,
    AwsError,
    AwsInsufficientCapacity,
    AwsInvalidRequest,
    AwsNotFound,
    AwsThrottled,
    AwsUnavailable,
    aws_error_from,
    aws_errors,
)
from .regions import regions_list

__all__ = [
    "AMBIENT",
    "QUICK",
    "STANDARD",
    "AccountRef",
    "AwsAccessDenied",
    "AwsError",
    "AwsInsufficientCapacity",
    "AwsInvalidRequest",
    "AwsNotFound",
    "AwsThrottled",
    "AwsUnavailable",
    "aws_error_from",
    "aws_errors",
    "caller_account_id",
    "calls_profile",
    "client_get",
    "clients_clear",
    "paginate",
    "regions_list",
    "session_get",
]
