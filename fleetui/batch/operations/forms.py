"""Parameter forms of the Batch kinds (the page and the API validate with the same form, so a bad vCPU setting is
refused with the same words in both, before any Action row is written).

The limits are AWS's (Batch API reference, ComputeResourceUpdate): minvCpus, desiredvCpus and maxvCpus are whole
numbers of at least 0 (the API's Integer, at most 2,147,483,647), with min <= desired <= max. What a compute
environment can really reach is capped by the account's EC2 vCPU quotas ("Running On-Demand ... instances",
"All ... Spot Instance Requests"), which Batch does not expose: FLEETUI_BATCH_MAX_VCPUS sets the ceiling fleetui
accepts (settings, then the environment). The checks that need the environment itself (Fargate has no min or
desired vCPUs; AWS takes no desired below the current one) are the operation's `clean_targets`.
"""

from __future__ import annotations

from typing import Any

from django import forms

from fleetui.actions.common import setting_int
from fleetui.actions.registry import NoParams
from fleetui.aws.batch_environments import REASON_LIMIT

API_INTEGER_MAX = 2**31 - 1  # the Batch API's Integer: the largest vCPU count a request can carry
VCPU_FIELDS = ("min_vcpus", "desired_vcpus", "max_vcpus")
STATES = (("", "Leave as it is"), ("ENABLED", "ENABLED: take jobs"), ("DISABLED", "DISABLED: take no new jobs"))


def max_vcpus() -> int:
    """The most vCPUs fleetui lets an action ask for: settings.FLEETUI_BATCH_MAX_VCPUS, else the environment variable
    of that name, else the API's own limit."""
    return min(API_INTEGER_MAX, setting_int("FLEETUI_BATCH_MAX_VCPUS", API_INTEGER_MAX))


def _vcpu_field(label: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        required=False,
        min_value=0,
        label=label,
        help_text=help_text,
        error_messages={
            "invalid": f"{label} is a whole number of vCPUs (0 or more).",
            "min_value": f"{label} cannot be negative: 0 is the fewest.",
        },
    )


class UpdateComputeEnvironmentForm(NoParams):
    min_vcpus = _vcpu_field("Minimum vCPUs", "The vCPUs Batch keeps running even with no job (and while DISABLED).")
    desired_vcpus = _vcpu_field(
        "Desired vCPUs",
        "The vCPUs to run now. AWS takes no value below the current one: Batch scales in by itself, down to the "
        "minimum, when the queues are idle.",
    )
    max_vcpus = _vcpu_field("Maximum vCPUs", "The most vCPUs Batch may scale out to (it may pass it by one instance).")
    state = forms.ChoiceField(
        required=False,
        choices=STATES,
        label="State",
        help_text="DISABLED: the scheduler places no new job here; jobs already STARTING or RUNNING go on.",
        error_messages={"invalid_choice": "The state is ENABLED or DISABLED (or empty to leave it)."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = max_vcpus()
        for name in VCPU_FIELDS:
            field = self.fields[name]
            assert isinstance(field, forms.IntegerField)
            field.validators.append(_at_most(limit))
            field.widget.attrs.update(min=0, max=limit)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data  # a field error already says what is wrong
        given = {name: data.get(name) for name in VCPU_FIELDS if data.get(name) is not None}
        if not given and not data.get("state"):
            raise forms.ValidationError("Say what to change: a vCPU setting, the state, or both.")
        low, desired, high = (given.get(name) for name in VCPU_FIELDS)
        if low is not None and desired is not None and low > desired:
            self.add_error("desired_vcpus", f"The desired vCPUs ({desired}) cannot be below the minimum ({low}).")
        if desired is not None and high is not None and desired > high:
            self.add_error("desired_vcpus", f"The desired vCPUs ({desired}) cannot be above the maximum ({high}).")
        if low is not None and high is not None and low > high:
            self.add_error("min_vcpus", f"The minimum vCPUs ({low}) cannot be above the maximum ({high}).")
        return data


def _at_most(limit: int) -> Any:
    def check(value: int | None) -> None:
        if value is not None and value > limit:
            where = (
                "the largest number the Batch API takes"
                if limit == API_INTEGER_MAX
                else "the ceiling set by FLEETUI_BATCH_MAX_VCPUS (your account's EC2 vCPU quota)"
            )
            raise forms.ValidationError(f"{value:,} vCPUs is above {limit:,}, {where}.")

    return check


class CancelJobsForm(NoParams):
    reason = forms.CharField(
        required=False,
        max_length=REASON_LIMIT,
        label="Reason given to AWS",
        help_text=(
            "Kept by Batch as each job's status reason (DescribeJobs, the console). Empty: the action's reason, with "
            "who asked."
        ),
        error_messages={"max_length": f"Batch keeps at most {REASON_LIMIT} characters of a reason."},
    )
