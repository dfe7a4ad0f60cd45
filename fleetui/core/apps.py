from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fleetui.core"
    label = "core"
    url_prefix = ""  # the user's preferences page

    def ready(self) -> None:
        # Every app declares its menu entries and home-page panels in its own `navigation` module.
        from .menu import navigation_collect

        navigation_collect()
        # Connects the login signal that copies a user's preferences into their session.
        from . import preferences  # noqa: F401
