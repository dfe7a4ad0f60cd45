from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "fleetui.inventory"
    label = "inventory"
    url_prefix = ""

    def ready(self) -> None:
        # Every service app declares its resource types in its own `sync` module.
        from .sync.registry import specs_collect

        specs_collect()

        # `?as_of=` on every list (fleetui.core.asof) reads the past from this engine's history.
        from fleetui.core.asof import as_of_source_register

        from .history.asof import versions_sql

        as_of_source_register(versions_sql)
