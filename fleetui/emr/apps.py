from django.apps import AppConfig


class EmrConfig(AppConfig):
    name = "fleetui.emr"
    label = "emr"
    url_prefix = "emr/"
    verbose_name = "EMR"
