"""Read-only serializers of the Beanstalk inventory for the REST API (like fleetui.core.serializers: the
12-digit `account_id`, not our row id, so output joins with the AWS CLI's; querysets select the account)."""

from rest_framework import serializers

from fleetui.core.serializers import RESOURCE_FIELDS, ResourceSerializer

from .models import ApplicationVersion, BeanstalkApplication, Environment, EnvironmentEvent


class ApplicationSerializer(ResourceSerializer):
    class Meta:
        model = BeanstalkApplication
        fields = [*RESOURCE_FIELDS, "application_name", "arn", "description", "version_labels", "date_created",
                  "date_updated"]  # fmt: skip


class VersionSerializer(ResourceSerializer):
    class Meta:
        model = ApplicationVersion
        fields = [*RESOURCE_FIELDS, "arn", "application_name", "version_label", "description", "status",
                  "source_bundle", "date_created"]  # fmt: skip


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
        fields = [
            *RESOURCE_FIELDS, "environment_id", "environment_name", "application_name", "arn", "tier", "tier_type",
            "status", "health", "health_status", "cname", "endpoint_url", "solution_stack", "platform_arn",
            "version_label", "description", "date_created", "date_updated", "resources",
        ]  # fmt: skip


class EventSerializer(ResourceSerializer):
    class Meta:
        model = EnvironmentEvent
        fields = [*RESOURCE_FIELDS, "event_key", "event_date", "application_name", "environment_name",
                  "version_label", "severity", "message", "request_id"]  # fmt: skip
