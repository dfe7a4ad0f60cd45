"""Elastic Beanstalk inventory: what the last complete sync of each (account, region) saw.

Like every inventory model these rows are never deleted by a sync; `gone_at` marks what a complete sync no
longer saw. The swap state (which environment is the standby, which URL is production) is not stored here: it
is derived from the audited swap actions (see fleetui.beanstalk.swaps).
"""

from django.db import models

from fleetui.core.models import AwsResource


class BeanstalkApplication(AwsResource):
    KEY = "application_name"

    application_name = models.CharField(max_length=100)
    arn = models.CharField(max_length=2048, blank=True)
    description = models.CharField(max_length=200, blank=True)
    version_labels = models.JSONField(default=list, blank=True)
    date_created = models.DateTimeField(null=True, blank=True)
    date_updated = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application_name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "application_name"], name="uniq_eb_application")
        ]

    def __str__(self) -> str:
        return self.application_name

    def get_absolute_url(self) -> str:
        return self.page_url("beanstalk:application_detail", self.application_name)


class ApplicationVersion(AwsResource):
    # An application version is named by (application, label); its ARN holds both, so it is the one-field key.
    KEY = "arn"

    arn = models.CharField(max_length=2048)
    application_name = models.CharField(max_length=100, db_index=True)
    version_label = models.CharField(max_length=100)
    description = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=32, blank=True)
    source_bundle = models.CharField(max_length=2048, blank=True, help_text="s3://bucket/key")
    date_created = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application_name", "-date_created"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "arn"], name="uniq_eb_version")]

    def __str__(self) -> str:
        return f"{self.application_name} {self.version_label}"

    def get_absolute_url(self) -> str:
        return self.list_url("beanstalk:version_list", self.version_label)


class Environment(AwsResource):
    KEY = "environment_id"

    class Tier(models.TextChoices):
        WEB = "WebServer"
        WORKER = "Worker"

    environment_id = models.CharField(max_length=32)
    environment_name = models.CharField(max_length=40, db_index=True)
    application_name = models.CharField(max_length=100, db_index=True)
    arn = models.CharField(max_length=2048, blank=True)
    tier = models.CharField(max_length=16, choices=Tier.choices, db_index=True)
    tier_type = models.CharField(max_length=32, blank=True, help_text="Standard, SQS/HTTP")
    status = models.CharField(max_length=16, db_index=True, help_text="Launching, Updating, Ready, Terminating, ...")
    health = models.CharField(max_length=16, blank=True, help_text="Green, Yellow, Red, Grey")
    health_status = models.CharField(max_length=16, blank=True, help_text="Ok, Warning, Degraded, Severe, ...")
    cname = models.CharField(max_length=255, blank=True, db_index=True, help_text="The URL (web tier only)")
    endpoint_url = models.CharField(max_length=255, blank=True, help_text="The load balancer's DNS name")
    solution_stack = models.CharField(max_length=255, blank=True)
    platform_arn = models.CharField(max_length=2048, blank=True)
    version_label = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=200, blank=True)
    date_created = models.DateTimeField(null=True, blank=True)
    date_updated = models.DateTimeField(null=True, blank=True)
    # DescribeEnvironmentResources: {"auto_scaling_groups": [...], "instances": [...], "load_balancers": [...],
    # "launch_configurations": [...], "launch_templates": [...], "queues": [{"name", "url"}], "triggers": [...]}
    resources = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["application_name", "environment_name"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "environment_id"], name="uniq_eb_environment")
        ]

    def __str__(self) -> str:
        return f"{self.environment_name} ({self.environment_id})"

    def get_absolute_url(self) -> str:
        return self.page_url("beanstalk:environment_detail", self.environment_id)

    @property
    def label(self) -> str:
        return self.environment_name

    @property
    def is_web(self) -> bool:
        return self.tier == self.Tier.WEB

    @property
    def instance_ids(self) -> list[str]:
        return list(self.resources.get("instances", []))


class EnvironmentEvent(AwsResource):
    # DescribeEvents items have no id: the key is a digest of the event's date, environment, request and message.
    KEY = "event_key"

    event_key = models.CharField(max_length=64)
    event_date = models.DateTimeField(db_index=True)
    application_name = models.CharField(max_length=100, db_index=True)
    environment_name = models.CharField(max_length=40, blank=True, db_index=True)
    version_label = models.CharField(max_length=100, blank=True)
    severity = models.CharField(max_length=8, blank=True)
    message = models.TextField()
    request_id = models.CharField(max_length=64, blank=True)
    # Its place among the events of the same event_date, the oldest 0 (fleetui.aws.beanstalk.event_pages).
    same_time_index = models.PositiveSmallIntegerField(default=0)

    class Meta:
        # Newest first; events of the same time in the order AWS gave them.
        ordering = ["-event_date", "-same_time_index"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "event_key"], name="uniq_eb_event")]

    def __str__(self) -> str:
        return f"{self.event_date:%Y-%m-%d %H:%M:%S} {self.environment_name}: {self.message[:60]}"

    def get_absolute_url(self) -> str:
        return self.page_url("beanstalk:application_detail", self.application_name)
