"""The account form admins use to add and edit AWS accounts (the page and Django admin share it)."""

from typing import Any

from django import forms
from django.core.validators import RegexValidator

from .models import Account

# AWS's rule for sts:AssumeRole's ExternalId: 2 to 1224 characters of [\w+=,.@:/-].
EXTERNAL_ID_VALIDATOR = RegexValidator(
    r"^[\w+=,.@:/-]{2,1224}$", "An ExternalId is 2 to 1224 letters, digits or any of + = , . @ : / -"
)


class AccountForm(forms.ModelForm):
    """Validates an account before fleetui tries to reach it.

    - the account id is 12 digits and the role ARN well formed (the model's validators);
    - the role lives in the account it reaches (arn:aws:iam::<account_id>:role/...);
    - an ExternalId only goes with a role ARN, and follows AWS's character rules;
    - only one account uses the ambient credentials (no role ARN).
    """

    external_id = forms.CharField(
        required=False,
        validators=[EXTERNAL_ID_VALIDATOR],
        label="External id",
        help_text="Optional; only if the role's trust policy requires sts:ExternalId.",
    )

    class Meta:
        model = Account
        fields = ["account_id", "name", "role_arn", "external_id", "enabled"]
        labels = {"account_id": "Account id", "role_arn": "Role ARN"}
        widgets = {
            "role_arn": forms.TextInput(attrs={"placeholder": "arn:aws:iam::123456789012:role/fleetui-readonly"}),
            "account_id": forms.TextInput(attrs={"placeholder": "123456789012", "inputmode": "numeric"}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        account_id, role_arn = data.get("account_id"), data.get("role_arn")
        if role_arn and account_id and role_arn.split(":")[4] != account_id:
            self.add_error("role_arn", f"The role must be in account {account_id}.")
        if data.get("external_id") and not role_arn:
            self.add_error("external_id", "An ExternalId needs a role ARN.")
        if not role_arn and "role_arn" not in self.errors:
            ambient = Account.objects.filter(role_arn="").exclude(pk=self.instance.pk).first()
            if ambient:
                self.add_error("role_arn", f"{ambient} already uses the ambient credentials; give this one a role ARN.")
        return data
