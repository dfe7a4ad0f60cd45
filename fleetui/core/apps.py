from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fleetui.core"
    label = "core"

    def ready(self) -> None:
        # Every app declares its menu entries and home-page panels in its own `navigation` module.
        from .menu import navigation_collect

        navigation_collect()
