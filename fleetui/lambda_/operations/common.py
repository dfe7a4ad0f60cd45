"""What both Lambda kinds share: the target (a live function of the inventory) and a read of the live function
that fails the action clearly when the function was deleted meanwhile."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fleetui.actions.registry import ActionFailed, known_rows
from fleetui.aws import AwsNotFound
from fleetui.aws import lambda_ as aws
from fleetui.lambda_.filters import FUNCTIONS
from fleetui.lambda_.models import Function

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext
    from fleetui.inventory.models import Account

__all__ = ["FUNCTIONS", "configuration_read", "function_row"]


def function_row(*, account: Account, region: str, name: str) -> Function:
    """The live inventory row of the target (ActionInvalid for a name the inventory does not hold)."""
    row: Function = known_rows(Function, account=account, region=region, ids=[name])[name]
    return row


def configuration_read(ctx: ActionContext, name: str, done: str) -> dict[str, Any]:
    """GetFunctionConfiguration; a function Lambda no longer knows fails the action, saying what was `done`."""
    try:
        return aws.function_configuration(account=ctx.account, region=ctx.region, name=name)
    except AwsNotFound as gone:
        raise ActionFailed(
            f"The function {name} no longer exists in {ctx.account.account_id}/{ctx.region} (it was deleted "
            f"meanwhile): {gone}. {done}"
        ) from gone
