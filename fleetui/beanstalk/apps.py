from django.apps import AppConfig


class BeanstalkConfig(AppConfig):
    name = "fleetui.beanstalk"
    label = "beanstalk"
    url_prefix = "beanstalk/"
    verbose_name = "Elastic Beanstalk"
