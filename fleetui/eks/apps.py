from django.apps import AppConfig


class EksConfig(AppConfig):
    name = "fleetui.eks"
    label = "eks"
    url_prefix = "eks/"
    verbose_name = "EKS"
