from django.apps import AppConfig


class EcsConfig(AppConfig):
    name = "fleetui.ecs"
    label = "ecs"
    url_prefix = "ecs/"
    verbose_name = "ECS"
