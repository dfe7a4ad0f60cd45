"""The form admins use on the sandbox's fault page to add one fault (see `middleware.py` for the semantics)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator

ICE = "InsufficientInstanceCapacity"

# The calls worth failing in a demo: the ones fleetui's actions and sync make. Free text is accepted too.
SUGGESTED_ACTIONS = [
    "RunInstances",
    "StartInstances",
    "StopInstances",
    "RebootInstances",
    "TerminateInstances",
    "ModifyInstancePlacement",
    "ModifyInstanceAttribute",
    "DescribeInstances",
    "DescribeInstanceStatus",
    "CreateImage",
    "AllocateAddress",
    "AssociateAddress",
    "CreateTags",
    "AssumeRole",
    "*",
]

ERROR_CHOICES = [
    ("", "None (latency only)"),
    (ICE, "InsufficientInstanceCapacity (capacity)"),
    ("RequestLimitExceeded", "RequestLimitExceeded (throttling)"),
    ("InternalError", "InternalError"),
]

# An API name as AWS spells it (`StartInstances`), or `*` for every action without a fault of its own.
ACTION_VALIDATOR = RegexValidator(r"^(\*|[A-Za-z][A-Za-z0-9]{1,63})$", "An API name such as StartInstances, or *.")

HTTP_400_HELP = (
    "Real EC2 answers InsufficientInstanceCapacity with HTTP 500, which botocore's retry modes treat as "
    "transient and retry (fleetui allows 8 attempts), so a fault on the next 2 calls is absorbed and the "
    "caller never sees it. With 400 the error reaches the caller on the first call, and each call uses up "
    "one of the count."
)


class FaultForm(forms.Form):
    """One fault spec. The form checks types and ranges; the sandbox checks the rest (for example that a fault
    has an error or a latency) and its 400 message is shown as the form's error by the view."""

    action = forms.CharField(
        max_length=64,
        validators=[ACTION_VALIDATOR],
        label="API action",
        help_text="The call to affect, as AWS names it; * affects every action without a fault of its own.",
        widget=forms.TextInput(attrs={"list": "suggested-actions", "autocomplete": "off"}),
    )
    error = forms.ChoiceField(choices=ERROR_CHOICES, required=False, label="Error")
    count = forms.IntegerField(
        min_value=1, required=False, label="Count", help_text="Affect only the next K calls; empty: until removed."
    )
    rate = forms.FloatField(
        min_value=0.0,
        max_value=1.0,
        required=False,
        label="Rate",
        help_text="Affect this fraction of the calls (0 to 1); empty: every call.",
        widget=forms.NumberInput(attrs={"step": "0.05"}),
    )
    latency_ms = forms.IntegerField(
        min_value=0, required=False, label="Latency (ms)", help_text="Sleep this long before answering."
    )
    http_400 = forms.BooleanField(
        required=False,
        label="Answer HTTP 400 so botocore's retries do not absorb it",
        help_text=HTTP_400_HELP + " InsufficientInstanceCapacity only.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("http_400") and cleaned.get("error") != ICE:
            self.add_error("http_400", f"Only for {ICE}: throttling is retried by its error code, whatever the status.")
        return cleaned

    def spec(self) -> dict[str, Any]:
        """The keyword arguments of `faults.fault_inject` (without the endpoint) for a valid form."""
        data = self.cleaned_data
        return {
            "action": data["action"],
            "error": data["error"] or None,
            "count": data["count"],
            "rate": data["rate"],
            "latency_ms": data["latency_ms"],
            "status": 400 if data["http_400"] else None,
        }
