"""Read-only serializers of the EMR inventory for the REST API (like fleetui.core.serializers: the 12-digit
`account_id`, not our row id, so output joins with the AWS CLI's; querysets select the account)."""

from rest_framework import serializers

from fleetui.core.fields import RESOURCE, api_fields
from fleetui.core.fields import Field as F
from fleetui.core.serializers import ResourceSerializer

from .models import EmrCluster, EmrInstance, InstanceGroup, Step

# What scripts see of each resource (fleetui.core.fields): the CSV columns, in this order, and the API fields.
CLUSTER_FIELDS = [
    *RESOURCE,
    *map(F, ["name", "cluster_id", "state", "state_change_code", "state_change_message", "release_label"]),
    F("applications", csv=False),
    F(
        "application_names",
        lambda c: ", ".join(f"{a['name']} {a['version']}".strip() for a in c.applications),
        api=False,
    ),
    *map(F, ["collection", "termination_protected", "auto_terminate", "idle_timeout"]),
    F("group_count", api=False),
    F("instance_count", api=False),
    *map(F, ["log_uri", "master_public_dns", "normalized_instance_hours"]),
    F("cluster_arn", csv=False),
    F("service_role", csv=False),
    *map(F, ["created_at", "ready_at", "ended_at"]),
]
INSTANCE_GROUP_FIELDS = [
    *RESOURCE,
    *map(F, ["cluster_name", "cluster_id", "instance_group_id", "collection", "name", "group_type", "market"]),
    F("bid_price"),
    F("instance_types", lambda g: " ".join(g.instance_types)),
    *map(F, ["requested_count", "running_count", "state", "state_change_message"]),
    *map(F, ["on_demand_target", "on_demand_provisioned", "spot_target", "spot_provisioned"]),
]
STEP_FIELDS = [
    *RESOURCE,
    *map(F, ["cluster_name", "cluster_id", "step_id", "name", "state", "state_change_message", "action_on_failure"]),
    F("jar"),
    F("args", csv=False),
    *map(F, ["created_at", "started_at", "ended_at"]),
]
INSTANCE_FIELDS = [
    *RESOURCE,
    *map(F, ["cluster_name", "cluster_id", "instance_group_id", "instance_id", "ec2_instance_id", "market"]),
    *map(F, ["instance_type", "state", "private_ip", "public_dns", "created_at", "ready_at"]),
]


class ApplicationSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Spark, Hive, Trino, ...")
    version = serializers.CharField()


class EmrClusterSerializer(ResourceSerializer):
    applications = ApplicationSerializer(many=True, read_only=True)

    class Meta:
        model = EmrCluster
        fields = api_fields(CLUSTER_FIELDS)


class EmrInstanceGroupSerializer(ResourceSerializer):
    instance_types = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = InstanceGroup
        fields = api_fields(INSTANCE_GROUP_FIELDS)


class EmrStepSerializer(ResourceSerializer):
    args = serializers.ListField(child=serializers.CharField(), read_only=True, help_text="The command line")

    class Meta:
        model = Step
        fields = api_fields(STEP_FIELDS)


class EmrInstanceSerializer(ResourceSerializer):
    class Meta:
        model = EmrInstance
        fields = api_fields(INSTANCE_FIELDS)
