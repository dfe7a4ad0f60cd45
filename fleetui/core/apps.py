from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fleetui.core"
    label = "core"
