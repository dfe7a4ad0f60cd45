"""stacks.detect_drift: start a CloudFormation drift detection of one stack (DetectStackDrift) and wait for its
result (DescribeStackDriftDetectionStatus until DETECTION_COMPLETE or DETECTION_FAILED).

Operator, one stack per action; nothing in the stack changes: CloudFormation compares each resource's actual
configuration with its template. AWS detects drift only on stacks in DRIFT_STATUSES: any other stack (a rolled-back
create, one being updated) is refused on the request page and in the API before anything is recorded, with the
status named. The run reads the stack first: a stack CloudFormation no longer knows fails the action with AWS's
message. A redelivered action waits on the detection an earlier delivery started instead of starting another. The
stack and its resources (their drift status) are re-synced when the action ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fleetui.actions.common import poll_interval, setting_int
from fleetui.actions.registry import ActionFailed, ActionInvalid, Operation, known_rows, operation
from fleetui.aws import AwsInvalidRequest, AwsNotFound
from fleetui.aws import cloudformation as cfn
from fleetui.aws import cloudformation_drift as aws
from fleetui.core.roles import Role
from fleetui.stacks.models import Stack, StackResource
from fleetui.stacks.sync import RESOURCES, STACKS

if TYPE_CHECKING:
    from fleetui.actions.context import ActionContext
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account

# "You can perform drift detection on stacks with the following statuses" (AWS CloudFormation User Guide, Detect
# drift on an entire CloudFormation stack).
DRIFT_STATUSES = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE", "UPDATE_ROLLBACK_FAILED")
DEFAULT_TIMEOUT = 900  # s: AWS checks each resource; a stack of hundreds takes minutes


def drift_timeout() -> int:
    """How long stacks.detect_drift waits for the detection to end: FLEETUI_STACKS_DRIFT_TIMEOUT."""
    return setting_int("FLEETUI_STACKS_DRIFT_TIMEOUT", DEFAULT_TIMEOUT)


@operation
class DetectDrift(Operation):
    kind, label, verb = "stacks.detect_drift", "Detect stack drift", "Detect drift"
    role = Role.OPERATOR
    target_type, min_targets, max_targets = STACKS, 1, 1
    help = (
        "DetectStackDrift, then wait until CloudFormation has compared every resource of the stack with its "
        "template. Nothing in the stack changes; its drift status and each resource's are refreshed."
    )

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        row: Stack = known_rows(Stack, account=account, region=region, ids=targets)[targets[0]]
        if row.status not in DRIFT_STATUSES:
            raise ActionInvalid(
                f"{row.name} is {row.status} in the inventory: CloudFormation detects drift only on stacks that are "
                f"{', '.join(DRIFT_STATUSES)}. Sync CloudFormation if that is out of date.",
                field="targets",
            )
        return targets

    def touched(self, action: Action) -> dict[str, list[str]]:
        resources = StackResource.objects.filter(
            account=action.account, region=action.region, stack_id__in=action.targets, gone_at__isnull=True
        ).values_list("resource_key", flat=True)
        return {STACKS: list(action.targets), RESOURCES: sorted(resources)}

    def describe(self, action: Action) -> str:
        row = Stack.objects.filter(stack_id__in=action.targets[:1]).first()
        return f"Detect drift of {row.name}" if row is not None else self.label

    def run(self, ctx: ActionContext) -> None:
        stack_id = ctx.targets[0]
        ctx.step(f"Reading the stack {stack_id}", progress=5)
        stack = self._read(ctx, stack_id)
        name = str(stack.get("StackName") or stack_id)
        detection = str(ctx.result.get("detection_id") or "")
        if detection:
            ctx.log(f"An earlier delivery of this action started the detection {detection}: waiting on it.")
        else:
            ctx.step(f"Starting drift detection of {name} ({stack.get('StackStatus')})", progress=15)
            try:
                detection = aws.drift_detect(account=ctx.account, region=ctx.region, stack_id=stack_id)
            except AwsNotFound as gone:
                raise ActionFailed(f"CloudFormation no longer knows the stack {name}: {gone}.") from gone
            except AwsInvalidRequest as refused:
                raise ActionFailed(f"CloudFormation refused to detect drift of {name}: {refused}.") from refused
            ctx.note(detection_id=detection)
            ctx.log(f"CloudFormation started the detection {detection}.")
        status = self._wait(ctx, detection, name)
        drift, count = status.get("StackDriftStatus", "UNKNOWN"), int(status.get("DriftedStackResourceCount") or 0)
        ctx.note(drift_status=drift, drifted_resources=count, detection_status=status.get("DetectionStatus"))
        ctx.step(f"Refreshing {name} and its resources in the inventory", progress=95)
        if status.get("DetectionStatus") == "DETECTION_FAILED":
            raise ActionFailed(
                f"The drift detection of {name} failed: {status.get('DetectionStatusReason') or 'no reason given'}. "
                f"The stack's drift status is {drift} for what it could check."
            )
        ctx.log(f"{name} is {drift}: {count} resource(s) drifted.")

    @staticmethod
    def _read(ctx: ActionContext, stack_id: str) -> dict[str, Any]:
        try:
            return cfn.stack_describe(account=ctx.account, region=ctx.region, stack=stack_id)
        except AwsNotFound as gone:
            done = "It had started a detection." if ctx.result.get("detection_id") else "Nothing was started."
            raise ActionFailed(f"CloudFormation no longer knows the stack {stack_id}: {gone}. {done}") from gone

    def _wait(self, ctx: ActionContext, detection: str, name: str) -> dict[str, Any]:
        ctx.step(f"Waiting until CloudFormation has checked every resource of {name}", progress=30)
        last: list[str] = [""]

        def done() -> dict[str, Any] | None:
            status = aws.drift_status(account=ctx.account, region=ctx.region, detection_id=detection)
            state = str(status.get("DetectionStatus"))
            if state != last[0]:
                last[0] = state
                ctx.log(
                    f"{name}: {state}"
                    + (f" ({status['DetectionStatusReason']})" if status.get("DetectionStatusReason") else "")
                    + "."
                )
                ctx.progress(60)
            return status if state in aws.DONE else None

        try:
            return ctx.wait(
                done, what=f"the drift detection of {name}", timeout=drift_timeout(), interval=poll_interval()
            )
        except ActionFailed as late:
            if not str(late).startswith("Timed out"):
                raise
            raise ActionFailed(
                f"{late} CloudFormation still reports {last[0]} (FLEETUI_STACKS_DRIFT_TIMEOUT); it goes on without "
                "fleetui. Detect drift again later to read its result."
            ) from None
