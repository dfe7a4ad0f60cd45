"""Read-only serializers of the EKS inventory for the REST API (like fleetui.core.serializers: the 12-digit
`account_id`, not our row id, so output joins with the AWS CLI's; querysets select the account)."""

from typing import Any

from rest_framework import serializers

from fleetui.core.fields import RESOURCE, api_fields
from fleetui.core.fields import Field as F
from fleetui.core.serializers import ResourceSerializer

from .models import Addon, EksCluster, FargateProfile, Nodegroup


def _codes(row: Any) -> str:
    return " ".join(issue["code"] for issue in row.health_issues)


# What scripts see of each resource (fleetui.core.fields): the CSV columns, in this order, and the API fields.
CLUSTER_FIELDS = [
    *RESOURCE,
    *map(F, ["cluster_name", "cluster_arn", "status", "version", "platform_version", "endpoint"]),
    F("nodegroup_count", api=False),
    F("fargate_profile_count", api=False),
    F("addon_count", api=False),
    F("role_arn", csv=False),
    F("vpc_id"),
    F("subnet_ids", csv=False),
    F("health_issues", csv=False),
    F("created_at"),
]
NODEGROUP_FIELDS = [
    *RESOURCE,
    *map(F, ["cluster_name", "nodegroup_name", "nodegroup_arn", "status", "capacity_type"]),
    F("cluster_arn", csv=False),
    F("instance_types", lambda ng: " ".join(ng.instance_types)),
    *map(F, ["min_size", "desired_size", "max_size", "ami_type", "release_version", "version"]),
    F("health_issues", csv=False),
    F("health_issue_codes", _codes, api=False),
    F("autoscaling_groups", lambda ng: " ".join(ng.autoscaling_groups)),
    F("subnets", csv=False),
    F("labels", csv=False),
    F("node_role", csv=False),
    *map(F, ["created_at", "modified_at"]),
]
FARGATE_PROFILE_FIELDS = [
    *RESOURCE,
    *map(F, ["cluster_name", "fargate_profile_name", "fargate_profile_arn", "status"]),
    F("cluster_arn", csv=False),
    F("namespaces", lambda fp: " ".join(s["namespace"] for s in fp.selectors), api=False),
    F("selectors", csv=False),
    F("pod_execution_role_arn"),
    F("subnets", csv=False),
    F("created_at"),
]
ADDON_FIELDS = [
    *RESOURCE,
    *map(F, ["cluster_name", "addon_name", "addon_version", "status", "addon_arn"]),
    F("cluster_arn", csv=False),
    F("health_issues", csv=False),
    F("health_issue_codes", _codes, api=False),
    F("service_account_role_arn", csv=False),
    *map(F, ["created_at", "modified_at"]),
]


class IssueSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="AsgInstanceLaunchFailures, NodeCreationFailure, ...")
    message = serializers.CharField()
    resourceIds = serializers.ListField(child=serializers.CharField())  # AWS's own key


class SelectorSerializer(serializers.Serializer):
    namespace = serializers.CharField()
    labels = serializers.DictField(child=serializers.CharField())


def _strings(help_text: str = "") -> serializers.ListField:
    return serializers.ListField(child=serializers.CharField(), read_only=True, help_text=help_text)


class EksClusterSerializer(ResourceSerializer):
    subnet_ids = _strings()
    health_issues = IssueSerializer(many=True, read_only=True)

    class Meta:
        model = EksCluster
        fields = api_fields(CLUSTER_FIELDS)


class NodegroupSerializer(ResourceSerializer):
    instance_types = _strings("In launch priority order")
    autoscaling_groups = _strings("The Auto Scaling groups' names")
    subnets = _strings()
    health_issues = IssueSerializer(many=True, read_only=True)
    labels = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Nodegroup
        fields = api_fields(NODEGROUP_FIELDS)


class FargateProfileSerializer(ResourceSerializer):
    selectors = SelectorSerializer(many=True, read_only=True)
    subnets = _strings()

    class Meta:
        model = FargateProfile
        fields = api_fields(FARGATE_PROFILE_FIELDS)


class AddonSerializer(ResourceSerializer):
    health_issues = IssueSerializer(many=True, read_only=True)

    class Meta:
        model = Addon
        fields = api_fields(ADDON_FIELDS)
