"""Pure transforms: one Elastic Beanstalk API item (boto3's dict) -> the field values of its inventory model.

Like every service's transforms, each returns exactly the model's synced fields, normalised to what the
database gives back (`""` rather than None, sorted lists where AWS order means nothing), so an unchanged
re-sync writes nothing. Beanstalk's Describe* answers carry no tags (ListTagsForResource is one call per
resource), so `tags` is always {}.
"""

from __future__ import annotations

import hashlib
from typing import Any

from fleetui.inventory.sync.values import when

# DescribeEnvironmentResources list members -> (our key, the member's identifying field).
RESOURCE_LISTS = {
    "AutoScalingGroups": ("auto_scaling_groups", "Name"),
    "Instances": ("instances", "Id"),
    "LoadBalancers": ("load_balancers", "Name"),
    "LaunchConfigurations": ("launch_configurations", "Name"),
    "LaunchTemplates": ("launch_templates", "Id"),
    "Triggers": ("triggers", "Name"),
}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def application_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeApplications item -> BeanstalkApplication fields."""
    return {
        "application_name": raw["ApplicationName"],
        "arn": _text(raw.get("ApplicationArn")),
        "description": _text(raw.get("Description")),
        "version_labels": sorted(raw.get("Versions") or []),
        "date_created": when(raw.get("DateCreated")),
        "date_updated": when(raw.get("DateUpdated")),
        "tags": {},
    }


def _source_bundle(raw: dict[str, Any]) -> str:
    bundle = raw.get("SourceBundle") or {}
    if not bundle.get("S3Bucket"):
        return ""
    return f"s3://{bundle['S3Bucket']}/{bundle.get('S3Key', '')}"


def version_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeApplicationVersions item -> ApplicationVersion fields (keyed by its ARN)."""
    return {
        "arn": raw["ApplicationVersionArn"],
        "application_name": raw["ApplicationName"],
        "version_label": raw["VersionLabel"],
        "description": _text(raw.get("Description")),
        "status": _text(raw.get("Status")),
        "source_bundle": _source_bundle(raw),
        "date_created": when(raw.get("DateCreated")),
        "tags": {},
    }


def resources_of(raw: dict[str, Any] | None) -> dict[str, Any]:
    """A DescribeEnvironmentResources answer -> {"auto_scaling_groups": [names], "instances": [ids],
    "load_balancers": [names], "launch_configurations", "launch_templates", "triggers": [...],
    "queues": [{"name", "url"}]}, every list sorted (AWS order means nothing). {} stays {} (terminated)."""
    if not raw:
        return {}
    resources: dict[str, Any] = {
        key: sorted({item[field] for item in raw.get(member) or [] if item.get(field)})
        for member, (key, field) in RESOURCE_LISTS.items()
    }
    queues = [{"name": _text(q.get("Name")), "url": _text(q.get("URL"))} for q in raw.get("Queues") or []]
    resources["queues"] = sorted(queues, key=lambda queue: (queue["name"], queue["url"]))
    return resources


def environment_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeEnvironments item (with the fetcher's "Resources") -> Environment fields.

    A worker has no CNAME and no EndpointURL: both are "". The tier is "WebServer" or "Worker".
    """
    tier = raw.get("Tier") or {}
    return {
        "environment_id": raw["EnvironmentId"],
        "environment_name": raw["EnvironmentName"],
        "application_name": _text(raw.get("ApplicationName")),
        "arn": _text(raw.get("EnvironmentArn")),
        "tier": _text(tier.get("Name")) or "WebServer",
        "tier_type": _text(tier.get("Type")),
        "status": _text(raw.get("Status")),
        "health": _text(raw.get("Health")),
        "health_status": _text(raw.get("HealthStatus")),
        "cname": _text(raw.get("CNAME")),
        "endpoint_url": _text(raw.get("EndpointURL")),
        "solution_stack": _text(raw.get("SolutionStackName")),
        "platform_arn": _text(raw.get("PlatformArn")),
        "version_label": _text(raw.get("VersionLabel")),
        "description": _text(raw.get("Description")),
        "date_created": when(raw.get("DateCreated")),
        "date_updated": when(raw.get("DateUpdated")),
        "resources": resources_of(raw.get("Resources")),
        "tags": {},
    }


def event_key(raw: dict[str, Any]) -> str:
    """A stable hex digest naming a DescribeEvents item, which has no id of its own: (EventDate in ISO UTC,
    ApplicationName, EnvironmentName, RequestId, Message). The same event read twice gets the same key."""
    date = when(raw.get("EventDate"))
    parts = [date.isoformat() if date else "", *(_text(raw.get(k)) for k in ("ApplicationName", "EnvironmentName"))]
    parts += [_text(raw.get("RequestId")), _text(raw.get("Message"))]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def event_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """DescribeEvents item -> EnvironmentEvent fields."""
    return {
        "event_key": event_key(raw),
        "event_date": when(raw.get("EventDate")),
        "application_name": _text(raw.get("ApplicationName")),
        "environment_name": _text(raw.get("EnvironmentName")),
        "version_label": _text(raw.get("VersionLabel")),
        "severity": _text(raw.get("Severity")),
        "message": _text(raw.get("Message")),
        "request_id": _text(raw.get("RequestId")),
        "same_time_index": int(raw.get("SameTimeIndex") or 0),
        "tags": {},
    }
