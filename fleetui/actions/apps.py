from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ActionsConfig(AppConfig):
    name = "fleetui.actions"
    label = "actions"
    url_prefix = ""
    verbose_name = "Actions (audit log)"

    def ready(self) -> None:
        from . import checks, watch  # noqa: F401  (watch: a worker's look-out for actions whose worker died)

        # Every service app declares its action kinds in its own `operations` module (or package), registered
        # with @operation on import.
        autodiscover_modules("operations")

        # The inventory history asks the action engine which action made a change (it may not import actions).
        from fleetui.inventory.history.attribution import attribution_register

        from .history import ActionAttribution

        attribution_register(ActionAttribution())
