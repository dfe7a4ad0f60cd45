from django.apps import AppConfig


class StacksConfig(AppConfig):
    name = "fleetui.stacks"
    label = "stacks"
    url_prefix = "stacks/"
    verbose_name = "CloudFormation"
