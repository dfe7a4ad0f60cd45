from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "fleetui.actions"
    label = "actions"
    verbose_name = "Actions (audit log)"

    def ready(self) -> None:
        # Every operation module registers its kinds on import.
        from . import checks, operations  # noqa: F401
