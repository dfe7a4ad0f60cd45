from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fleetui.core"
    label = "core"
    url_prefix = ""  # the user's preferences page

    def ready(self) -> None:
        # Every app declares its menu entries and home-page panels in its own `navigation` module.
        from .menu import navigation_collect

        navigation_collect()
        # Connect the login signals that copy a user's preferences, column choices and pinned views into their session.
        from . import columns, preferences, savedviews  # noqa: F401
