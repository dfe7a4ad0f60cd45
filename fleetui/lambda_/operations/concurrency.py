"""lambda.set_concurrency: reserve concurrent executions for a function (PutFunctionConcurrency), or remove its
reservation (DeleteFunctionConcurrency).

How much can be reserved depends on the account (GetAccountSettings): Lambda keeps at least
MIN_UNRESERVED (100) executions unreserved for the functions without a reservation, so a function may reserve at
most the account's UnreservedConcurrentExecutions plus what it already holds, less 100. That ceiling is checked
when the action is requested (no Action row for a value above it) and again by Lambda when it runs
(InvalidParameterValueException). The run reads the function first: a reservation already in place is not sent
again, and a function deleted meanwhile fails the action saying so. The function is re-synced when it ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fleetui.actions.registry import ActionFailed, ActionInvalid, Operation, operation
from fleetui.aws import AwsError, AwsInvalidRequest, AwsNotFound
from fleetui.aws import lambda_ as reads
from fleetui.aws import lambda_functions as aws
from fleetui.inventory.sync import account_ref

from .common import FUNCTIONS, function_row
from .forms import SetConcurrencyForm

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext
    from fleetui.actions.models import Action
    from fleetui.aws import AccountRef
    from fleetui.inventory.models import Account

MIN_UNRESERVED = 100  # Lambda keeps this many concurrent executions unreserved in every account and region


def reservable(*, account: AccountRef, region: str, holds: int | None) -> tuple[int, dict[str, Any]]:
    """(the most this function may reserve, the account's limits) from GetAccountSettings; `holds`: its current
    reservation, which a new one replaces."""
    limits = reads.account_settings(account=account, region=region).get("AccountLimit") or {}
    unreserved = int(limits.get("UnreservedConcurrentExecutions") or 0)
    return max(0, unreserved + (holds or 0) - MIN_UNRESERVED), limits


def shown(reserved: int | None) -> str:
    return "no reservation" if reserved is None else f"{reserved:,} reserved"


@operation
class SetConcurrency(Operation):
    kind, label, verb = "lambda.set_concurrency", "Set or remove a Lambda function's reserved concurrency", "Reserve"
    target_type, min_targets, max_targets = FUNCTIONS, 1, 1
    form_class = SetConcurrencyForm
    help = (
        "PutFunctionConcurrency with a reserved concurrency (0 up to what the account leaves unreserved, less 100), "
        "or DeleteFunctionConcurrency to remove it."
    )

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        row = function_row(account=account, region=region, name=targets[0])
        if params.get("remove"):
            return targets
        try:
            most, limits = reservable(account=account_ref(account), region=region, holds=row.reserved_concurrency)
        except AwsError as error:
            raise ActionInvalid(
                f"Could not read the account's concurrency limit (GetAccountSettings), so the value cannot be checked: "
                f"{error}",
                field="reserved",
            ) from error
        want = int(params["reserved"])
        if want > most:
            raise ActionInvalid(
                f"{want:,} is above {most:,}, the most {row.function_name} can reserve: the account's concurrency "
                f"limit in {region} is {int(limits.get('ConcurrentExecutions') or 0):,}, "
                f"{int(limits.get('UnreservedConcurrentExecutions') or 0):,} of it unreserved now, and Lambda keeps "
                f"{MIN_UNRESERVED} unreserved.",
                field="reserved",
            )
        return targets

    def describe(self, action: Action) -> str:
        name = action.targets[0] if action.targets else "?"
        if action.params.get("remove"):
            return f"Remove the reserved concurrency of {name}"
        return f"Reserve {action.params.get('reserved')} concurrent executions for {name}"

    def run(self, ctx: ActionContext) -> None:
        name = ctx.targets[0]
        remove = bool(ctx.params.get("remove"))
        want = None if remove else int(ctx.params["reserved"])
        ctx.step(f"Reading {name}", progress=10)
        found = next(iter(reads.function_pages(account=ctx.account, region=ctx.region, ids=[name])), [])
        if not found:
            raise ActionFailed(
                f"The function {name} no longer exists in {ctx.account.account_id}/{ctx.region} (it was deleted "
                "meanwhile). Nothing was changed by this action."
            )
        before = found[0].get(reads.CONCURRENCY_KEY)
        ctx.note(before=before)
        if before == want:
            ctx.note(outcome="already applied", after=before)
            ctx.log(f"{name} has {shown(want)} already: nothing to send.")
            return
        ctx.step(f"{'Removing' if remove else 'Setting'} the reserved concurrency of {name}: "
                 f"{shown(before)} -> {shown(want)}", progress=40)  # fmt: skip
        try:
            if want is None:
                aws.concurrency_delete(account=ctx.account, region=ctx.region, name=name)
            else:
                aws.concurrency_put(account=ctx.account, region=ctx.region, name=name, reserved=want)
        except AwsNotFound as gone:
            raise ActionFailed(
                f"The function {name} no longer exists (it was deleted meanwhile): {gone}. Nothing was changed by this "
                "action."
            ) from gone
        except AwsInvalidRequest as refused:
            raise ActionFailed(f"{refused}. Nothing was changed by this action.") from refused
        ctx.note(after=want)
        ctx.log(f"{name} now has {shown(want)}.")
