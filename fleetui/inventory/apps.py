from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "fleetui.inventory"
    label = "inventory"
