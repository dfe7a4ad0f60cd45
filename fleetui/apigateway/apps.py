from django.apps import AppConfig


class ApigatewayConfig(AppConfig):
    name = "fleetui.apigateway"
    label = "apigateway"
    url_prefix = "apigateway/"
    verbose_name = "API Gateway"
