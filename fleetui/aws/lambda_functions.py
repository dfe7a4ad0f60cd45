"""Lambda calls for actions: change a function's memory and timeout, set or remove its reserved concurrency.

Each takes an `AccountRef` and a region and returns plain data. Lambda answers a function it does not know with
ResourceNotFoundException (fleetui.aws.AwsNotFound), a value it refuses (a reserved concurrency that would leave the
account less than its minimum unreserved) with InvalidParameterValueException, and an update sent while another is
still being applied with ResourceConflictException (both fleetui.aws.AwsInvalidRequest, AWS's message kept).
"""

from __future__ import annotations

from typing import Any

from .clients import AccountRef, client_get
from .errors import aws_errors


def _lambda(account: AccountRef, region: str) -> Any:
    return client_get("lambda", account=account, region=region)


def configuration_update(
    *, account: AccountRef, region: str, name: str, memory_mb: int | None = None, timeout_s: int | None = None
) -> dict[str, Any]:
    """UpdateFunctionConfiguration with the MemorySize and/or Timeout given. Returns the configuration Lambda
    answers with: LastUpdateStatus InProgress until the change is applied, then Successful (or Failed)."""
    params: dict[str, Any] = {"FunctionName": name}
    if memory_mb is not None:
        params["MemorySize"] = int(memory_mb)
    if timeout_s is not None:
        params["Timeout"] = int(timeout_s)
    with aws_errors("UpdateFunctionConfiguration"):
        answer = _lambda(account, region).update_function_configuration(**params)
    answer.pop("ResponseMetadata", None)
    return dict(answer)


def concurrency_put(*, account: AccountRef, region: str, name: str, reserved: int) -> int:
    """PutFunctionConcurrency: reserve `reserved` concurrent executions (0 stops every invocation). Returns AWS's
    ReservedConcurrentExecutions."""
    with aws_errors("PutFunctionConcurrency"):
        answer = _lambda(account, region).put_function_concurrency(
            FunctionName=name, ReservedConcurrentExecutions=int(reserved)
        )
    return int(answer.get("ReservedConcurrentExecutions", reserved))


def concurrency_delete(*, account: AccountRef, region: str, name: str) -> None:
    """DeleteFunctionConcurrency: the function draws on the account's unreserved concurrency again."""
    with aws_errors("DeleteFunctionConcurrency"):
        _lambda(account, region).delete_function_concurrency(FunctionName=name)
