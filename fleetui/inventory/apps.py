from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "fleetui.inventory"
    label = "inventory"
    url_prefix = ""

    def ready(self) -> None:
        # Every service app declares its resource types in its own `sync` module.
        from .sync.registry import specs_collect

        specs_collect()
