from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """The `sandbox` and `demo` management commands. Only the demo and test settings install this app (it needs
    moto, the `sandbox` extra); product code never imports this package."""

    name = "fleetui.sandbox"
    label = "sandbox"
    url_prefix = "sandbox/"
