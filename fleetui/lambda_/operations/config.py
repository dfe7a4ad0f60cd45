"""lambda.update_config: change a function's memory and/or timeout, and wait until Lambda has applied it.

Limits (128-10,240 MB, 1-900 s) are the form's, checked before anything is recorded. The run reads the function
first, every delivery, so a redelivered action continues instead of repeating: an update this action already sent
(`sent_at` in the result) is only waited on; values already in place are not sent again; an update of someone
else's in progress (LastUpdateStatus InProgress) is waited out first, since Lambda refuses a second one
(ResourceConflictException). Then UpdateFunctionConfiguration, and GetFunctionConfiguration until LastUpdateStatus
is Successful; Failed fails the action with Lambda's LastUpdateStatusReason. FLEETUI_LAMBDA_UPDATE_TIMEOUT bounds
each wait. A function deleted meanwhile fails the action saying so and what was done. The function is re-synced
when the action ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from fleetui.actions.common import poll_interval, setting_int
from fleetui.actions.registry import ActionFailed, Operation, operation
from fleetui.aws import AwsInvalidRequest, AwsNotFound
from fleetui.aws import lambda_functions as aws
from fleetui.lambda_.models import Function

from .common import FUNCTIONS, configuration_read, function_row
from .forms import UpdateConfigForm

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account

DEFAULT_TIMEOUT = 300  # s: Lambda applies a memory or timeout change within seconds, a VPC one within minutes
SETTINGS = (("memory_mb", "MemorySize", "MB"), ("timeout_s", "Timeout", "s"))


def update_timeout() -> int:
    """How long the action waits for LastUpdateStatus to leave InProgress: FLEETUI_LAMBDA_UPDATE_TIMEOUT (settings,
    then the environment), else 5 min."""
    return setting_int("FLEETUI_LAMBDA_UPDATE_TIMEOUT", DEFAULT_TIMEOUT)


def wanted(params: dict[str, Any]) -> dict[str, int]:
    """{API name: value} of the settings asked for."""
    return {api: int(params[name]) for name, api, _unit in SETTINGS if params.get(name) is not None}


def shown(values: dict[str, Any]) -> str:
    """Settings as the step log says them: "memory 1,024 MB, timeout 30 s" (only those present)."""
    words = {"MemorySize": "memory", "Timeout": "timeout"}
    return ", ".join(
        f"{words[api]} {values[api]:,} {unit}" for _name, api, unit in SETTINGS if values.get(api) is not None
    )


@operation
class UpdateConfig(Operation):
    kind, label, verb = "lambda.update_config", "Change a Lambda function's memory or timeout", "Configure"
    target_type, min_targets, max_targets = FUNCTIONS, 1, 1
    form_class = UpdateConfigForm
    help = (
        "UpdateFunctionConfiguration with a new memory size (128-10,240 MB) and/or timeout (1-900 s), then wait until "
        "Lambda reports the update Successful."
    )

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        function_row(account=account, region=region, name=targets[0])
        return targets

    def form_notice(
        self, *, account: Account | None, region: str, targets: list[str], params: dict[str, Any]
    ) -> dict[str, Any] | None:
        if account is None or len(targets) != 1:
            return None
        found = Function.objects.filter(account=account, region=region, function_name=targets[0]).first()
        return {"template": "lambda_/_config_notice.html", "function": found} if found is not None else None

    def describe(self, action: Action) -> str:
        name = action.targets[0] if action.targets else "?"
        return f"Configure {name}: {shown(wanted(action.params))}"

    def run(self, ctx: ActionContext) -> None:
        name = ctx.targets[0]
        want = wanted(ctx.params)
        ctx.step(f"Reading {name}", progress=5)
        config = configuration_read(ctx, name, self._done(ctx))
        if ctx.result.get("sent_at"):
            ctx.log(f"The update of {name} was sent by an earlier delivery: waiting on it, not sending it again.")
        else:
            if config.get("LastUpdateStatus") == "InProgress":
                ctx.step(f"Waiting for the update of {name} already in progress to end first", progress=10)
                config = self._settled(ctx, name, what=f"the earlier update of {name} to end")
            if self._applied(config, want):
                ctx.note(outcome="already applied", after=self._values(config))
                ctx.log(f"{name} has {shown(want)} already: UpdateFunctionConfiguration is not called.")
                return
            self._send(ctx, name, config, want)
        ctx.step(f"Waiting until Lambda reports the update of {name} Successful", progress=40)
        config = self._settled(ctx, name, what=f"the update of {name} to be applied")
        if config.get("LastUpdateStatus") == "Failed":
            raise ActionFailed(
                f"Lambda reports the update of {name} Failed: "
                f"{config.get('LastUpdateStatusReason') or 'no reason given'} "
                f"({config.get('LastUpdateStatusReasonCode') or 'no code'}). {self._done(ctx)}"
            )
        after = self._values(config)
        ctx.note(after=after)
        ctx.log(f"{name} now has {shown(after)} (LastUpdateStatus {config.get('LastUpdateStatus')}).")
        if not self._applied(config, want):
            ctx.log(
                f"{name} shows {shown(after)}, not the {shown(want)} asked for: someone changed it again meanwhile."
            )

    @staticmethod
    def _done(ctx: ActionContext) -> str:
        if ctx.result.get("sent_at"):
            return "This action had sent its update (UpdateFunctionConfiguration)."
        return "Nothing was changed by this action."

    @staticmethod
    def _values(config: dict[str, Any]) -> dict[str, Any]:
        return {api: config.get(api) for _name, api, _unit in SETTINGS}

    @staticmethod
    def _applied(config: dict[str, Any], want: dict[str, int]) -> bool:
        return all(config.get(api) == value for api, value in want.items())

    def _send(self, ctx: ActionContext, name: str, config: dict[str, Any], want: dict[str, int]) -> None:
        before = self._values(config)
        ctx.note(before=before)
        ctx.step(f"Updating {name}: {shown({k: before[k] for k in want})} -> {shown(want)}", progress=20)
        try:
            aws.configuration_update(
                account=ctx.account, region=ctx.region, name=name,
                memory_mb=want.get("MemorySize"), timeout_s=want.get("Timeout"),
            )  # fmt: skip
        except AwsNotFound as gone:
            raise ActionFailed(
                f"The function {name} no longer exists (it was deleted meanwhile): {gone}. Nothing was changed by this "
                "action."
            ) from gone
        except AwsInvalidRequest as refused:
            raise ActionFailed(f"{refused}. Nothing was changed by this action.") from refused
        ctx.note(sent_at=timezone.now().isoformat())
        ctx.log(f"Lambda accepted the update of {name}.")

    def _settled(self, ctx: ActionContext, name: str, *, what: str) -> dict[str, Any]:
        """GetFunctionConfiguration until LastUpdateStatus is no longer InProgress; returns the configuration."""
        last: list[Any] = [None]

        def settled() -> dict[str, Any] | None:
            config = configuration_read(ctx, name, self._done(ctx))
            status = config.get("LastUpdateStatus")
            if status != last[0]:
                last[0] = status
                ctx.log(f"{name}: LastUpdateStatus {status}.")
            return config if status != "InProgress" else None

        try:
            return ctx.wait(settled, what=what, timeout=update_timeout(), interval=poll_interval())
        except ActionFailed as late:
            if not str(late).startswith("Timed out"):
                raise
            raise ActionFailed(
                f"{late} (FLEETUI_LAMBDA_UPDATE_TIMEOUT). {self._done(ctx)} Lambda goes on without fleetui: "
                "sync Lambda to see where it ends."
            ) from None
