"""Parameter forms of the Lambda kinds (the page and the API validate with the same form, so a value outside
Lambda's limits is refused with the same words in both, before any Action row is written).

The limits are Lambda's (API reference, UpdateFunctionConfiguration): MemorySize 128 to 10,240 MB, Timeout 1 to
900 s. moto does not check them, and fleetui does. A reserved concurrency is a whole number of at least 0; its
ceiling depends on the account (GetAccountSettings), so the operation checks it (`clean_targets`).
"""

from __future__ import annotations

from typing import Any

from django import forms

from fleetui.actions.registry import NoParams
from fleetui.lambda_.models import MAX_MEMORY_MB, MAX_TIMEOUT_S, MIN_MEMORY_MB, MIN_TIMEOUT_S

MEMORY_LIMIT = f"Lambda allows {MIN_MEMORY_MB} to {MAX_MEMORY_MB:,} MB of memory"
TIMEOUT_LIMIT = f"Lambda allows a timeout of {MIN_TIMEOUT_S} to {MAX_TIMEOUT_S} seconds (15 minutes)"


def _limited(label: str, low: int, high: int, limit: str, unit: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(
        required=False,
        min_value=low,
        max_value=high,
        label=label,
        help_text=help_text,
        error_messages={
            "invalid": f"{label} is a whole number of {unit}. {limit}.",
            "min_value": f"{label} is too low: {limit}.",
            "max_value": f"{label} is too high: {limit}.",
        },
    )


class UpdateConfigForm(NoParams):
    memory_mb = _limited(
        "Memory (MB)", MIN_MEMORY_MB, MAX_MEMORY_MB, MEMORY_LIMIT, "MB",
        "Lambda gives CPU in proportion to memory: 1,769 MB is one full vCPU. Empty: leave as it is.",
    )  # fmt: skip
    timeout_s = _limited(
        "Timeout (s)", MIN_TIMEOUT_S, MAX_TIMEOUT_S, TIMEOUT_LIMIT, "seconds",
        "How long one invocation may run before Lambda stops it. Empty: leave as it is.",
    )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and data.get("memory_mb") is None and data.get("timeout_s") is None:
            raise forms.ValidationError("Say what to change: the memory, the timeout, or both.")
        return data


class SetConcurrencyForm(NoParams):
    reserved = forms.IntegerField(
        required=False,
        min_value=0,
        label="Reserved concurrency",
        help_text=(
            "Concurrent executions set aside for this function, and its ceiling. 0 stops every invocation. The most "
            "you can reserve is the account's unreserved concurrency less the 100 Lambda always keeps unreserved."
        ),
        error_messages={
            "invalid": "Reserved concurrency is a whole number of executions (0 or more).",
            "min_value": "Reserved concurrency cannot be negative: 0 is the fewest (it stops every invocation).",
        },
    )
    remove = forms.BooleanField(
        required=False,
        label="Remove the reservation",
        help_text="DeleteFunctionConcurrency: the function shares the account's unreserved concurrency again.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if data.get("remove") and data.get("reserved") is not None:
            raise forms.ValidationError("Either set a reserved concurrency or remove it, not both.")
        if not data.get("remove") and data.get("reserved") is None:
            raise forms.ValidationError("Give a reserved concurrency (0 or more), or tick Remove the reservation.")
        return data
