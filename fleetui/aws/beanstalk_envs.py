"""Elastic Beanstalk changes for actions: create, update (deploy), swap CNAMEs, terminate.

Each returns plain data. Beanstalk refuses a request it cannot take with code InvalidParameterValue (an
environment that is not Ready: "... is in an invalid state for this operation. Must be Ready."; an unknown
environment or version; a CNAME prefix already taken); those come out as fleetui.aws.AwsInvalidRequest with the
AWS message, which callers show as it is. Throttling and endpoint errors are AwsThrottled / AwsUnavailable.
"""

from __future__ import annotations

from typing import Any

from .clients import AccountRef, client_get
from .errors import aws_errors


def _eb(account: AccountRef, region: str) -> Any:
    return client_get("elasticbeanstalk", account=account, region=region)


def _call(account: AccountRef, region: str, method: str, operation: str, **params: Any) -> dict[str, Any]:
    with aws_errors(operation):
        answer = getattr(_eb(account, region), method)(**params)
    answer.pop("ResponseMetadata", None)
    return answer


def environment_create(*, account: AccountRef, region: str, request: dict[str, Any]) -> dict[str, Any]:
    """CreateEnvironment with `request` in the API's own parameter names; returns the EnvironmentDescription."""
    return _call(account, region, "create_environment", "CreateEnvironment", **request)


def environment_update(*, account: AccountRef, region: str, environment_id: str, version_label: str) -> dict[str, Any]:
    """UpdateEnvironment to `version_label` (a deploy); returns the EnvironmentDescription (Status Updating)."""
    return _call(
        account, region, "update_environment", "UpdateEnvironment",
        EnvironmentId=environment_id, VersionLabel=version_label,
    )  # fmt: skip


def cnames_swap(*, account: AccountRef, region: str, source_id: str, destination_id: str) -> None:
    """SwapEnvironmentCNAMEs. A toggle: callers read both CNAMEs first and call only when not yet swapped."""
    _call(
        account, region, "swap_environment_cnames", "SwapEnvironmentCNAMEs",
        SourceEnvironmentId=source_id, DestinationEnvironmentId=destination_id,
    )  # fmt: skip


def environment_terminate(*, account: AccountRef, region: str, environment_id: str) -> dict[str, Any]:
    """TerminateEnvironment with its resources; returns the EnvironmentDescription (Status Terminating)."""
    return _call(
        account, region, "terminate_environment", "TerminateEnvironment",
        EnvironmentId=environment_id, TerminateResources=True,
    )  # fmt: skip
