from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """Only for the `sandbox` management command; product code never imports this package."""

    name = "fleetui.sandbox"
    label = "sandbox"
