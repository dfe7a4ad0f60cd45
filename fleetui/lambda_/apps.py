from django.apps import AppConfig


class LambdaConfig(AppConfig):
    name = "fleetui.lambda_"
    label = "lambda_"
    url_prefix = "lambda/"
    verbose_name = "Lambda"
