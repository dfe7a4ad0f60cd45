"""Read-only serializers of the Beanstalk inventory for the REST API (like fleetui.core.serializers: the
12-digit `account_id`, not our row id, so output joins with the AWS CLI's; querysets select the account)."""

from rest_framework import serializers

from fleetui.core.fields import RESOURCE, api_fields
from fleetui.core.fields import Field as F
from fleetui.core.serializers import ResourceSerializer

from .models import ApplicationVersion, BeanstalkApplication, Environment, EnvironmentEvent

# What scripts see of each resource (fleetui.core.fields): the CSV columns, in this order, and the API fields.
APPLICATION_FIELDS = [
    *RESOURCE,
    F("application_name"),
    F("arn", csv=False),
    F("description"),
    F("environment_count", api=False),
    F("version_labels", csv=False),
    *map(F, ["date_created", "date_updated"]),
    F("versions", lambda app: " ".join(app.version_labels), api=False),
]
VERSION_FIELDS = [
    *RESOURCE,
    F("arn", csv=False),
    *map(F, ["application_name", "version_label", "description", "status", "source_bundle", "date_created"]),
]
ENVIRONMENT_FIELDS = [
    *RESOURCE,
    *map(F, ["application_name", "environment_name", "environment_id"]),
    F("arn", csv=False),
    *map(F, ["tier", "tier_type", "status", "health", "health_status", "cname", "endpoint_url", "version_label"]),
    *map(F, ["solution_stack", "platform_arn"]),
    F("description", csv=False),
    *map(F, ["date_created", "date_updated"]),
    F("resources", csv=False),
    F("instances", lambda env: " ".join(env.instance_ids), api=False),
]
EVENT_FIELDS = [  # the API's only: the pages show events per environment
    *RESOURCE,
    *map(F, ["event_key", "event_date", "application_name", "environment_name", "version_label", "severity"]),
    *map(F, ["message", "request_id"]),
]


class ApplicationSerializer(ResourceSerializer):
    class Meta:
        model = BeanstalkApplication
        fields = api_fields(APPLICATION_FIELDS)


class VersionSerializer(ResourceSerializer):
    class Meta:
        model = ApplicationVersion
        fields = api_fields(VERSION_FIELDS)


class QueueSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.CharField()


class EnvironmentResourcesSerializer(serializers.Serializer):
    """DescribeEnvironmentResources as the sync stores it; empty lists for a terminated environment."""

    auto_scaling_groups = serializers.ListField(child=serializers.CharField(), default=list)
    instances = serializers.ListField(child=serializers.CharField(), default=list, help_text="EC2 instance ids")
    load_balancers = serializers.ListField(child=serializers.CharField(), default=list)
    launch_configurations = serializers.ListField(child=serializers.CharField(), default=list)
    launch_templates = serializers.ListField(child=serializers.CharField(), default=list)
    triggers = serializers.ListField(child=serializers.CharField(), default=list)
    queues = QueueSerializer(many=True, default=list)

    def to_representation(self, instance: dict) -> dict:
        return {name: list(instance.get(name) or []) for name in self.fields}


class EnvironmentSerializer(ResourceSerializer):
    resources = EnvironmentResourcesSerializer(read_only=True)

    class Meta:
        model = Environment
        fields = api_fields(ENVIRONMENT_FIELDS)


class EventSerializer(ResourceSerializer):
    class Meta:
        model = EnvironmentEvent
        fields = api_fields(EVENT_FIELDS)
