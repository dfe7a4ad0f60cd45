"""CloudFormation reads: the inventory's fetchers (one list of boto3's dicts per page) and the stack reads an action
makes before and while it waits.

- Stacks: DescribeStacks (paginated; AWS lists every stack not DELETE_COMPLETE), then GetTemplateSummary of each
  for its DeclaredTransforms: a stack whose template declares `AWS::Serverless-2016-10-31` is a SAM stack. The
  transform list is added to the stack's item under TRANSFORMS_KEY.
- Resources: ListStackResources per parent stack (the sync's parent keys are stack ids), each item with the
  resource's drift status (DriftInformation) and tagged with its stack's id under PARENT_KEY.
- Events: DescribeStackEvents per parent stack, newest first, the newest EVENTS_KEPT (100) of each stack; older
  ones are swept as gone.

`ids` (a targeted re-sync after an action): stack ids name their stacks; a resource's key is "<stack id>#<logical
id>" (`resource_key`), so it names its stack; an event id does not, so each parent's events are read and only the
named ones kept. `ids=[]` makes no call. CloudFormation answers a stack it does not know with ValidationError
("Stack with id ... does not exist"): that stack is not returned (its row is marked gone), and `stack_describe`
raises AwsNotFound.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import AwsInvalidRequest, AwsNotFound, aws_errors
from .query import PARENT_KEY

Page = list[dict[str, Any]]
PAGE = 50
TRANSFORMS_KEY = "FleetuiTransforms"
SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
EVENTS_KEPT = 100
DELETED = "DELETE_COMPLETE"


def _cfn(account: AccountRef, region: str) -> Any:
    return client_get("cloudformation", account=account, region=region)


def resource_key(stack_id: str, logical_id: str) -> str:
    """A stack resource's inventory key: logical ids are unique within a stack only."""
    return f"{stack_id}#{logical_id}"


def stack_of_key(key: str) -> str:
    return key.partition("#")[0]


def _missing(error: AwsInvalidRequest) -> bool:
    return error.code == "ValidationError" and "does not exist" in error.message


def stack_describe(*, account: AccountRef, region: str, stack: str) -> dict[str, Any]:
    """DescribeStacks of one stack (by name or id). Raises AwsNotFound, with AWS's message, when CloudFormation
    does not know it, or knows it only as DELETE_COMPLETE (a deleted stack's id is still answered for 90 days)."""
    try:
        with aws_errors("DescribeStacks"):
            found = _cfn(account, region).describe_stacks(StackName=stack)["Stacks"]
    except AwsInvalidRequest as error:
        if _missing(error):
            raise AwsNotFound(error.message, code=error.code, operation=error.operation) from error
        raise
    if not found or found[0].get("StackStatus") == DELETED:
        raise AwsNotFound(f"DescribeStacks: stack {stack} is {DELETED}", code="ValidationError")
    return dict(found[0])


def _pages(items: Iterator[dict[str, Any]]) -> Iterator[Page]:
    page: Page = []
    for item in items:
        page.append(item)
        if len(page) >= PAGE:
            yield page
            page = []
    if page:
        yield page


def _transforms(client: Any, stack_id: str) -> list[str]:
    """GetTemplateSummary's DeclaredTransforms of a stack's template; [] when the stack went in the meantime."""
    try:
        with aws_errors("GetTemplateSummary"):
            return [str(t) for t in client.get_template_summary(StackName=stack_id).get("DeclaredTransforms") or []]
    except AwsInvalidRequest as error:
        if _missing(error):
            return []
        raise


def stack_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Stacks not deleted, each with its template's transforms. `ids`: stack ids (ARNs)."""
    client = _cfn(account, region)

    def stacks() -> Iterator[dict[str, Any]]:
        if ids is None:
            for page in paginate(client, "describe_stacks", "Stacks"):
                yield from page
            return
        for stack_id in dict.fromkeys(ids):
            try:
                yield stack_describe(account=account, region=region, stack=stack_id)
            except AwsNotFound:
                continue

    def described() -> Iterator[dict[str, Any]]:
        for stack in stacks():
            if stack.get("StackStatus") != DELETED:
                yield {**stack, TRANSFORMS_KEY: _transforms(client, str(stack["StackId"]))}

    yield from _pages(described())


def _listed(read: Callable[[], Iterator[list[dict[str, Any]]]]) -> Iterator[dict[str, Any]]:
    """Every item of a per-stack read; none when CloudFormation no longer knows the stack."""
    try:
        for page in read():
            yield from page
    except AwsInvalidRequest as error:
        if not _missing(error):
            raise


def _children(
    parents: Sequence[str] | None, ids: Sequence[str] | None, read: Callable[[str], Iterator[dict[str, Any]]]
) -> Iterator[Page]:
    named = None if ids is None else set(ids)
    if named is not None and not named:
        return

    def items() -> Iterator[dict[str, Any]]:
        for stack_id in parents or []:
            for item in read(stack_id):
                yield {**item, PARENT_KEY: stack_id}

    yield from _pages(items())


def resource_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, parents: Sequence[str] | None = None
) -> Iterator[Page]:
    """The resources of each parent stack (ListStackResources). `ids`: resource keys (`resource_key`), whose
    stacks alone are read."""
    client = _cfn(account, region)
    if ids is not None:
        parents = list(dict.fromkeys(stack_of_key(key) for key in ids))
    wanted = None if ids is None else set(ids)

    def read(stack_id: str) -> Iterator[dict[str, Any]]:
        for item in _listed(
            lambda: paginate(client, "list_stack_resources", "StackResourceSummaries", StackName=stack_id)
        ):
            if wanted is None or resource_key(stack_id, str(item.get("LogicalResourceId"))) in wanted:
                yield item

    return _children(parents, ids, read)


def event_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, parents: Sequence[str] | None = None
) -> Iterator[Page]:
    """The newest EVENTS_KEPT events of each parent stack (DescribeStackEvents answers newest first). `ids`: event
    ids, looked for among each parent stack's events."""
    client = _cfn(account, region)
    wanted = None if ids is None else set(ids)

    def read(stack_id: str) -> Iterator[dict[str, Any]]:
        events = _listed(lambda: paginate(client, "describe_stack_events", "StackEvents", StackName=stack_id))
        for count, event in enumerate(events):
            if count >= EVENTS_KEPT:
                return
            if wanted is None or event.get("EventId") in wanted:
                yield event

    return _children(parents, ids, read)
