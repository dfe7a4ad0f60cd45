"""The page form around every action: where, on what, why. The kind's own parameters come from its
operation's `form_class`, rendered with the prefix "p"."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.http import QueryDict

from fleetui.inventory.models import Account

from .models import Action
from .registry import Operation


class ActionRequestForm(forms.Form):
    account = forms.ModelChoiceField(
        queryset=Account.objects.filter(enabled=True), to_field_name="account_id", empty_label=None
    )
    region = forms.CharField(max_length=32)
    targets = forms.CharField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "Why? Free text or a ticket id (kept in the audit log)"}
        ),
        required=False,
    )
    confirm = forms.CharField(
        required=False, label="Confirm", widget=forms.TextInput(attrs={"autocomplete": "off", "size": 24})
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)
    # A retry or rollback names the action it follows (shown on both pages).
    parent = forms.ModelChoiceField(queryset=Action.objects.all(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def target_list(self) -> list[str]:
        raw = self["targets"].value() or ""
        return [t for t in raw.replace(",", " ").split() if t]


def params_from(op: Operation, data: QueryDict) -> dict[str, Any]:
    """The kind's parameters out of the posted page form (prefix "p"), as the API would send them."""
    params: dict[str, Any] = {}
    for name, field in op.form_class.base_fields.items():
        key = f"p-{name}"
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            params[name] = data.getlist(key)
        elif isinstance(field, forms.BooleanField):
            params[name] = key in data and data.get(key) not in ("", "false", "0", "off")
        elif key in data:
            params[name] = data.get(key)
    return params
