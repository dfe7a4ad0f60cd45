"""Parameter forms of the EMR kinds (the page and the API validate with the same form, so a bad count is refused
with the same words in both, before any Action row is written).

The limits are AWS's. InstanceGroupModifyConfig.InstanceCount is the group's target size, a whole number. A TASK
group may shrink to 0; a CORE group keeps at least one node (EMR: "Clusters using core nodes require a core instance
group that contains at least one core node"), which the operation checks once it knows the group's type. The top is
the EMR service quota "The maximum number of active instances per instance group" (Service Quotas, adjustable),
which fleetui cannot read from EMR itself: FLEETUI_EMR_MAX_INSTANCES says what an account's quota is.
"""

from __future__ import annotations

from typing import Any

from django import forms

from fleetui.actions.common import setting_int
from fleetui.actions.registry import NoParams

DEFAULT_MAX_INSTANCES = 2000  # fleetui's default for the per-group quota; set the account's own value


def max_instances() -> int:
    """The most instances a group may have: settings.FLEETUI_EMR_MAX_INSTANCES, else the environment variable of
    that name, else DEFAULT_MAX_INSTANCES."""
    return setting_int("FLEETUI_EMR_MAX_INSTANCES", DEFAULT_MAX_INSTANCES)


class ResizeGroupForm(NoParams):
    instance_count = forms.IntegerField(
        label="Instance count",
        min_value=0,
        help_text=(
            "The group's new target size. A task group may go to 0; a core group keeps at least 1. EMR picks the "
            "nodes to remove and decommissions them first."
        ),
        error_messages={
            "required": "Say how many instances the group should have.",
            "invalid": "The instance count is a whole number of instances.",
            "min_value": "The instance count cannot be negative: 0 empties a task group.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = max_instances()
        field = self.fields["instance_count"]
        assert isinstance(field, forms.IntegerField)
        field.validators.append(_at_most(limit))
        field.widget.attrs.update(min=0, max=limit)


def _at_most(limit: int) -> Any:
    def check(value: int | None) -> None:
        if value is not None and value > limit:
            raise forms.ValidationError(
                f"{value} is above the {limit} instances an EMR instance group may have (the EMR service quota "
                '"The maximum number of active instances per instance group"; FLEETUI_EMR_MAX_INSTANCES says if your '
                "account's quota was raised)."
            )

    return check
