from django.apps import AppConfig


class Ec2Config(AppConfig):
    name = "fleetui.ec2"
    label = "ec2"
    verbose_name = "EC2"
    url_prefix = ""
