"""Parameter forms of the Beanstalk kinds (the page and the API validate with the same form).

Names follow Beanstalk's rules: an environment name is 4-40 letters, digits and hyphens, not starting or ending
with a hyphen; a CNAME prefix is 4-63 of the same. Both are checked against the inventory too, so a taken name is
refused before anything is recorded (AWS checks again: InvalidParameterValue).
"""

from __future__ import annotations

from typing import Any

from django import forms

from fleetui.actions.registry import NoParams
from fleetui.beanstalk.models import ApplicationVersion, BeanstalkApplication, Environment

ENV_NAME = r"^[A-Za-z0-9][A-Za-z0-9-]{2,38}[A-Za-z0-9]$"
CNAME_PREFIX = r"^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$"
DEFAULT_STACK = "64bit Amazon Linux 2023 v4.6.0 running Python 3.11"


class ScopedForm(NoParams):
    def live(self, model: Any) -> Any:
        if self.account is None or not self.region:
            return model.objects.none()
        return model.objects.filter(account=self.account, region=self.region, gone_at__isnull=True)

    def clean_environment_name(self) -> str:
        name = self.cleaned_data["environment_name"]
        if self.live(Environment).filter(environment_name__iexact=name).exists():
            raise forms.ValidationError(f"An environment named {name} already exists in {self.region}.")
        return name

    def clean_cname_prefix(self) -> str:
        prefix = self.cleaned_data.get("cname_prefix", "").lower()
        if prefix and self.live(Environment).filter(cname__istartswith=f"{prefix}.").exists():
            raise forms.ValidationError(f"{prefix}.{self.region}.elasticbeanstalk.com is taken; pick another prefix.")
        return prefix


def _name_field() -> forms.RegexField:
    return forms.RegexField(
        regex=ENV_NAME, max_length=40, label="Environment name",
        error_messages={"invalid": "4-40 letters, digits and hyphens, not starting or ending with a hyphen."},
    )  # fmt: skip


def _prefix_field() -> forms.RegexField:
    return forms.RegexField(
        regex=CNAME_PREFIX, max_length=63, required=False, label="CNAME prefix",
        help_text="Web tier only: the URL becomes <prefix>.<region>.elasticbeanstalk.com. Empty: Beanstalk picks one.",
        error_messages={"invalid": "4-63 letters, digits and hyphens, not starting or ending with a hyphen."},
    )  # fmt: skip


class DeployForm(NoParams):
    version_label = forms.CharField(max_length=100, label="Version", help_text="A version of the application.")


class CloneForm(ScopedForm):
    environment_name = _name_field()
    cname_prefix = _prefix_field()
    version_label = forms.CharField(
        max_length=100, required=False, label="Version", help_text="Empty: the source environment's version."
    )


class CreateEnvironmentForm(ScopedForm):
    application = forms.ChoiceField(choices=[])
    environment_name = _name_field()
    tier = forms.ChoiceField(
        choices=[("WebServer", "Web server (has a URL)"), ("Worker", "Worker (reads an SQS queue, no URL)")]
    )
    version_label = forms.CharField(max_length=100, label="Version")
    solution_stack = forms.CharField(max_length=255, initial=DEFAULT_STACK, label="Solution stack")
    cname_prefix = _prefix_field()
    instance_type = forms.CharField(max_length=32, required=False, help_text="Empty: the platform's default.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = self.live(BeanstalkApplication).values_list("application_name", flat=True)
        self.fields["application"].choices = [(name, name) for name in names]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        application, label = data.get("application"), data.get("version_label")
        if (
            application
            and label
            and not self.live(ApplicationVersion).filter(application_name=application, version_label=label).exists()
        ):
            self.add_error("version_label", f"{application} has no version {label!r} in the inventory.")
        if data.get("tier") == "Worker" and data.get("cname_prefix"):
            self.add_error("cname_prefix", "A Worker environment has no URL: leave the CNAME prefix empty.")
        return data

    @staticmethod
    def request(params: dict[str, Any]) -> dict[str, Any]:
        """CreateEnvironment's parameters from the cleaned form values."""
        worker = params["tier"] == "Worker"
        request: dict[str, Any] = {
            "ApplicationName": params["application"],
            "EnvironmentName": params["environment_name"],
            "VersionLabel": params["version_label"],
            "SolutionStackName": params["solution_stack"],
            "Tier": {"Name": "Worker", "Type": "SQS/HTTP"} if worker else {"Name": "WebServer", "Type": "Standard"},
        }
        if params.get("cname_prefix"):
            request["CNAMEPrefix"] = params["cname_prefix"]
        if params.get("instance_type"):
            request["OptionSettings"] = [
                {"Namespace": "aws:autoscaling:launchconfiguration", "OptionName": "InstanceType",
                 "Value": params["instance_type"]},
            ]  # fmt: skip
        return request
