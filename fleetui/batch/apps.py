from django.apps import AppConfig


class BatchConfig(AppConfig):
    name = "fleetui.batch"
    label = "batch"
    url_prefix = "batch/"
    verbose_name = "AWS Batch"
