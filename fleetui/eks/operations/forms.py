"""The parameters of eks.scale_nodegroup (the page and the API validate with this one form).

The limits are AWS's (EKS API reference, NodegroupScalingConfig): minSize and desiredSize are whole numbers of at
least 0, maxSize at least 1, and minSize <= desiredSize <= maxSize. maxSize is also capped by the service quota
"Nodes per managed node group" (EKS User Guide, "Amazon EKS service quotas": 450 by default, adjustable), which
fleetui cannot read from EKS itself: FLEETUI_EKS_MAX_NODES says what an account's raised quota is.
"""

from __future__ import annotations

from typing import Any

from django import forms

from fleetui.actions.common import setting_int
from fleetui.actions.registry import NoParams

DEFAULT_MAX_NODES = 450  # the default quota of nodes per managed nodegroup


def max_nodes() -> int:
    """The most nodes a nodegroup may have: settings.FLEETUI_EKS_MAX_NODES, else the environment variable, else 450."""
    return setting_int("FLEETUI_EKS_MAX_NODES", DEFAULT_MAX_NODES)


class ScaleNodegroupForm(NoParams):
    min_size = forms.IntegerField(
        min_value=0, label="Minimum nodes", help_text="The fewest nodes the nodegroup's Auto Scaling group keeps."
    )
    desired_size = forms.IntegerField(
        min_value=0,
        label="Desired nodes",
        help_text=(
            "The nodes to run now. Below the current count, EKS drains and terminates nodes. With the Kubernetes "
            "Cluster Autoscaler on this nodegroup, it will change this number again."
        ),
    )
    max_size = forms.IntegerField(min_value=1, label="Maximum nodes", help_text="The most nodes it may scale out to.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = max_nodes()
        for field in self.fields.values():
            assert isinstance(field, forms.IntegerField)
            field.validators.append(_at_most(limit))
            field.widget.attrs.update(min=field.min_value, max=limit)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, desired, high = (data.get(name) for name in ("min_size", "desired_size", "max_size"))
        if None in (low, desired, high):
            return data  # a field error already says what is missing
        assert low is not None and desired is not None and high is not None
        if low > desired:
            self.add_error("desired_size", f"The desired size ({desired}) cannot be below the minimum ({low}).")
        if desired > high:
            self.add_error("desired_size", f"The desired size ({desired}) cannot be above the maximum ({high}).")
        if low > high:
            self.add_error("min_size", f"The minimum ({low}) cannot be above the maximum ({high}).")
        return data


def _at_most(limit: int) -> Any:
    def check(value: int) -> None:
        if value is not None and value > limit:
            raise forms.ValidationError(
                f'{value} is above the {limit} nodes a managed nodegroup may have (the EKS service quota "Nodes '
                "per managed node group\"; FLEETUI_EKS_MAX_NODES says if your account's quota was raised)."
            )

    return check
