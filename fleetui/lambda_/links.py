"""What Lambda offers other services: the one module they may import from fleetui.lambda_ (import-linter allows
only this link), so an API Gateway integration or a CloudFormation resource can link to the function it names and
tell a deleted function ("gone") from one never seen (absent)."""

from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, Q

from fleetui.aws.lambda_ import unqualified
from fleetui.inventory.models import SyncRun

from .models import Function

__all__ = ["Function", "function_missing", "functions_by_arn", "unqualified"]


def functions_by_arn(*, account: Any, region: str, arns: Sequence[str]) -> dict[str, Function]:
    """{unqualified function ARN: its inventory row (gone ones too)} for `arns` in one account and region. A
    qualified ARN (`...:function:name:alias` or `:version`) matches its function; look it up by
    `fleetui.aws.lambda_.unqualified(arn)`, which is how the keys are written. ARNs the inventory has not seen are
    absent. `row.get_absolute_url()` is the function's page (one query for all, the account joined)."""
    wanted = {unqualified(arn) for arn in arns}
    rows = Function.objects.filter(account=account, region=region, function_arn__in=wanted).select_related("account")
    return {row.function_arn: row for row in rows}


def function_missing(arn_field: str) -> Q:
    """Over another service's rows that name a function by its unqualified ARN in `arn_field` (an API Gateway
    integration): those whose function the Lambda inventory does not hold live, although it has synced their account
    and region (before Lambda's first sync of a scope, nothing there counts as missing)."""
    live = Function.objects.filter(
        account=OuterRef("account"), region=OuterRef("region"), function_arn=OuterRef(arn_field), gone_at=None
    )
    synced = SyncRun.objects.filter(
        account=OuterRef("account"), region=OuterRef("region"), resource_type="lambda_functions",
        status=SyncRun.Status.SUCCEEDED,
    )  # fmt: skip
    return ~Q(**{arn_field: ""}) & ~Exists(live) & Exists(synced)
