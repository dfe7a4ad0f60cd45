"""Pure transforms: one EKS Describe* item (boto3's dict) -> the field values of its inventory model.

Like every service's transforms, each returns exactly the model's synced fields, normalised to what the database
gives back (`""` rather than None, sorted lists where AWS order means nothing), so an unchanged re-sync writes
nothing. EKS's tags are a plain {key: value} map already. A child's cluster ARN is the parent key the fetcher
tagged it with (fleetui.aws.query.PARENT_KEY), else derived from its own ARN.
"""

from __future__ import annotations

from typing import Any

from fleetui.aws.eks import arn_path, cluster_arn_for
from fleetui.aws.query import PARENT_KEY
from fleetui.inventory.sync.values import when


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def issues_of(health: dict[str, Any] | None) -> list[dict[str, Any]]:
    """`health.issues` (nodegroups, add-ons) or a cluster's `health.issues`, as sorted {code, message,
    resourceIds}."""
    issues = [
        {
            "code": _text(issue.get("code")),
            "message": _text(issue.get("message")),
            "resourceIds": sorted(issue.get("resourceIds") or []),
        }
        for issue in (health or {}).get("issues") or []
    ]
    return sorted(issues, key=lambda issue: (issue["code"], issue["message"]))


def _cluster_arn(raw: dict[str, Any], arn: str) -> str:
    return _text(raw.get(PARENT_KEY)) or cluster_arn_for(arn=arn, cluster=arn_path(arn)[0])


def cluster_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeCluster's `cluster` -> EksCluster fields."""
    vpc = raw.get("resourcesVpcConfig") or {}
    return {
        "cluster_arn": raw["arn"],
        "cluster_name": raw["name"],
        "version": _text(raw.get("version")),
        "platform_version": _text(raw.get("platformVersion")),
        "status": _text(raw.get("status")),
        "endpoint": _text(raw.get("endpoint")),
        "role_arn": _text(raw.get("roleArn")),
        "vpc_id": _text(vpc.get("vpcId")),
        "subnet_ids": sorted(vpc.get("subnetIds") or []),
        "health_issues": issues_of(raw.get("health")),
        "created_at": when(raw.get("createdAt")),
        "tags": dict(raw.get("tags") or {}),
    }


def nodegroup_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeNodegroup's `nodegroup` -> Nodegroup fields (scaling, capacity type, health issues, ASG names)."""
    scaling = raw.get("scalingConfig") or {}
    resources = raw.get("resources") or {}
    return {
        "nodegroup_arn": raw["nodegroupArn"],
        "cluster_arn": _cluster_arn(raw, raw["nodegroupArn"]),
        "cluster_name": raw["clusterName"],
        "nodegroup_name": raw["nodegroupName"],
        "status": _text(raw.get("status")),
        "capacity_type": _text(raw.get("capacityType")) or "ON_DEMAND",
        "instance_types": list(raw.get("instanceTypes") or []),  # AWS's order is the launch priority
        "ami_type": _text(raw.get("amiType")),
        "release_version": _text(raw.get("releaseVersion")),
        "version": _text(raw.get("version")),
        "min_size": int(scaling.get("minSize") or 0),
        "desired_size": int(scaling.get("desiredSize") or 0),
        "max_size": int(scaling.get("maxSize") or 0),
        "health_issues": issues_of(raw.get("health")),
        "autoscaling_groups": sorted(group["name"] for group in resources.get("autoScalingGroups") or []),
        "subnets": sorted(raw.get("subnets") or []),
        "labels": dict(raw.get("labels") or {}),
        "node_role": _text(raw.get("nodeRole")),
        "created_at": when(raw.get("createdAt")),
        "modified_at": when(raw.get("modifiedAt")),
        "tags": dict(raw.get("tags") or {}),
    }


def fargate_profile_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeFargateProfile's `fargateProfile` -> FargateProfile fields (selectors in AWS's order: they match
    first to last)."""
    return {
        "fargate_profile_arn": raw["fargateProfileArn"],
        "cluster_arn": _cluster_arn(raw, raw["fargateProfileArn"]),
        "cluster_name": raw["clusterName"],
        "fargate_profile_name": raw["fargateProfileName"],
        "status": _text(raw.get("status")),
        "pod_execution_role_arn": _text(raw.get("podExecutionRoleArn")),
        "selectors": [
            {"namespace": _text(s.get("namespace")), "labels": dict(s.get("labels") or {})}
            for s in raw.get("selectors") or []
        ],
        "subnets": sorted(raw.get("subnets") or []),
        "created_at": when(raw.get("createdAt")),
        "tags": dict(raw.get("tags") or {}),
    }


def addon_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeAddon's `addon` -> Addon fields."""
    return {
        "addon_arn": raw["addonArn"],
        "cluster_arn": _cluster_arn(raw, raw["addonArn"]),
        "cluster_name": raw["clusterName"],
        "addon_name": raw["addonName"],
        "addon_version": _text(raw.get("addonVersion")),
        "status": _text(raw.get("status")),
        "health_issues": issues_of(raw.get("health")),
        "service_account_role_arn": _text(raw.get("serviceAccountRoleArn")),
        "created_at": when(raw.get("createdAt")),
        "modified_at": when(raw.get("modifiedAt")),
        "tags": dict(raw.get("tags") or {}),
    }
