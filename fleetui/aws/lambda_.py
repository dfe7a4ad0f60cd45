"""Lambda reads: the inventory's fetchers (one list of boto3's dicts per page) and the checks before an action.

- Functions: ListFunctions (50 a page, AWS's ceiling), then per function GetFunction (its tags and reserved
  concurrency, which ListFunctions leaves out), ListVersionsByFunction and ListAliases, kept on the function's item
  under VERSIONS_KEY, ALIASES_KEY, TAGS_KEY and CONCURRENCY_KEY. `ids` (function names): GetFunction of each; a
  function Lambda no longer knows (ResourceNotFoundException) is simply not returned, so the sync marks it gone. A
  function deleted between the list and its detail reads is left out of the page the same way.
- Event source mappings: ListEventSourceMappings (100 a page); `ids` (their UUIDs): GetEventSourceMapping of each.
- `function_configuration` (GetFunctionConfiguration: LastUpdateStatus while an update is applied) and
  `account_settings` (GetAccountSettings: the account's concurrency limits) serve the actions' checks and waits.

A name Lambda does not know answers ResourceNotFoundException (HTTP 404): fleetui.aws.AwsNotFound.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import AwsNotFound, aws_errors
from .query import Page

FUNCTION_PAGE = 50  # ListFunctions: MaxItems at most 50
MAPPING_PAGE = 100  # ListEventSourceMappings: MaxItems at most 10,000; 100 keeps pages small
VERSIONS_KEY, ALIASES_KEY = "FleetuiVersions", "FleetuiAliases"
TAGS_KEY, CONCURRENCY_KEY = "FleetuiTags", "FleetuiReservedConcurrency"


def _lambda(account: AccountRef, region: str) -> Any:
    return client_get("lambda", account=account, region=region)


def unqualified(arn: str) -> str:
    """A function's ARN without its version or alias (`arn:aws:lambda:r:a:function:name[:qualifier]`)."""
    parts = arn.split(":")
    return ":".join(parts[:7]) if len(parts) > 7 and parts[5] == "function" else arn


def _details(client: Any, name: str, listed: dict[str, Any] | None) -> dict[str, Any] | None:
    """The function's item (`listed`, else GetFunction's Configuration) with its tags, reserved concurrency,
    versions and aliases; None when Lambda no longer knows it."""
    try:
        with aws_errors("GetFunction"):
            got = client.get_function(FunctionName=name)
        versions = [
            item
            for page in paginate(client, "list_versions_by_function", "Versions", FunctionName=name)
            for item in page
        ]
        aliases = [item for page in paginate(client, "list_aliases", "Aliases", FunctionName=name) for item in page]
    except AwsNotFound:
        return None
    concurrency = (got.get("Concurrency") or {}).get("ReservedConcurrentExecutions")
    return {
        **(listed if listed is not None else got.get("Configuration") or {}),
        TAGS_KEY: dict(got.get("Tags") or {}),
        CONCURRENCY_KEY: concurrency,
        VERSIONS_KEY: versions,
        ALIASES_KEY: aliases,
    }


def function_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Functions with their details (see the module docstring). `ids`: function names."""
    client = _lambda(account, region)
    if ids is not None:
        found = (_details(client, name, None) for name in dict.fromkeys(ids))
        yield [item for item in found if item is not None]
        return
    for page in paginate(client, "list_functions", "Functions", PaginationConfig={"PageSize": FUNCTION_PAGE}):
        details = (_details(client, config["FunctionName"], config) for config in page)
        yield [item for item in details if item is not None]


def event_source_mapping_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Event source mappings (ListEventSourceMappings). `ids`: their UUIDs."""
    client = _lambda(account, region)
    if ids is None:
        yield from paginate(
            client, "list_event_source_mappings", "EventSourceMappings", PaginationConfig={"PageSize": MAPPING_PAGE}
        )
        return
    found = []
    for uuid in dict.fromkeys(ids):
        try:
            with aws_errors("GetEventSourceMapping"):
                answer = client.get_event_source_mapping(UUID=uuid)
        except AwsNotFound:
            continue
        answer.pop("ResponseMetadata", None)
        found.append(dict(answer))
    yield found


def function_configuration(*, account: AccountRef, region: str, name: str) -> dict[str, Any]:
    """GetFunctionConfiguration of the unqualified function: memory, timeout, State, LastUpdateStatus (InProgress,
    Successful, Failed) and LastUpdateStatusReason. Raises AwsNotFound when Lambda does not know it."""
    with aws_errors("GetFunctionConfiguration"):
        answer = _lambda(account, region).get_function_configuration(FunctionName=name)
    answer.pop("ResponseMetadata", None)
    return dict(answer)


def account_settings(*, account: AccountRef, region: str) -> dict[str, Any]:
    """GetAccountSettings: {"AccountLimit": {"ConcurrentExecutions", "UnreservedConcurrentExecutions", ...},
    "AccountUsage": {...}} of the account in that region."""
    with aws_errors("GetAccountSettings"):
        answer = _lambda(account, region).get_account_settings()
    answer.pop("ResponseMetadata", None)
    return dict(answer)
