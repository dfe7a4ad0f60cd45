"""Elastic Beanstalk read actions moto lacks: DescribeEvents, DescribeEnvironmentHealth,
DescribeEnvironmentResources and DescribeConfigurationSettings (installed on moto's EBResponse by extensions.py).

Errors: InvalidParameterValue for an unknown application or environment, MissingParameter when neither the
environment's id nor its name is given.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from moto.core.responses import ActionResult
from moto.core.utils import utcnow

from .api import environment_named, paged
from .state import (
    HEALTH_CAUSES,
    SEVERITIES,
    SandboxEnvironment,
    application_get,
    environment_find,
    environments,
    error,
    events_of,
)

HEALTH_ATTRIBUTES = (
    "Status",
    "Color",
    "Causes",
    "ApplicationMetrics",
    "InstancesHealth",
    "HealthStatus",
    "RefreshedAt",
)
# Settings every environment reports besides the ones it was given (as DescribeConfigurationSettings shows them).
DEFAULT_SETTINGS = (
    ("aws:autoscaling:asg", "MinSize", "1"),
    ("aws:autoscaling:asg", "MaxSize", "4"),
    ("aws:ec2:instances", "InstanceTypes", "t3.micro,t3.small"),
    ("aws:elasticbeanstalk:command", "DeploymentPolicy", "AllAtOnce"),
    ("aws:elasticbeanstalk:healthreporting:system", "SystemType", "enhanced"),
)
WEB_SETTINGS = (("aws:elasticbeanstalk:environment", "LoadBalancerType", "application"),)
WORKER_SETTINGS = (("aws:elasticbeanstalk:sqsd", "HttpPath", "/"),)


class DescribeResponses:
    """Read-only actions; each settles the environments it reads first."""

    _get_param: Any
    elasticbeanstalk_backend: Any

    def describe_events(self) -> ActionResult:
        backend = self.elasticbeanstalk_backend
        environments(backend)  # settles every env, so completion events exist before we read them
        floor = SEVERITIES.index(self._get_param("Severity") or "TRACE")
        start, end = _naive(self._get_param("StartTime")), _naive(self._get_param("EndTime"))
        wanted = {
            "application_name": self._get_param("ApplicationName"),
            "environment_name": self._get_param("EnvironmentName"),
            "environment_id": self._get_param("EnvironmentId"),
            "version_label": self._get_param("VersionLabel"),
            "request_id": self._get_param("RequestId"),
        }
        found = [
            event
            for event in events_of(backend)
            if all(value is None or getattr(event, key) == value for key, value in wanted.items())
            and SEVERITIES.index(event.severity) >= floor
            and (start is None or event.event_date >= start)
            and (end is None or event.event_date < end)
        ]
        found.sort(key=lambda event: (event.event_date, event.seq), reverse=True)  # newest first
        page, token = paged(found, self._get_param("MaxRecords"), self._get_param("NextToken"))
        return ActionResult({"Events": [event.as_shape() for event in page], "NextToken": token})

    def describe_environment_health(self) -> ActionResult:
        env = environment_named(self)
        names = self._get_param("AttributeNames") or ["All"]
        health, health_status = env.effective_health()
        count = len(env.instance_ids) if env.status != "Terminated" else 0
        cause = HEALTH_CAUSES.get(health_status or "")
        full = {
            "Status": env.status,
            "Color": health,
            "HealthStatus": health_status,
            "Causes": [cause.format(n=count)] if cause else [],
            "InstancesHealth": _instances_health(health_status, count),
            "RefreshedAt": utcnow(),
        }
        if env.is_web:
            full["ApplicationMetrics"] = {"Duration": 10, "RequestCount": 0}
        shown = {key: value for key, value in full.items() if "All" in names or key in names}
        return ActionResult({"EnvironmentName": env.environment_name, **shown})

    def describe_environment_resources(self) -> ActionResult:
        env = environment_named(self)
        resources = env.resources
        live = env.status != "Terminated"
        shape: dict[str, Any] = {
            "EnvironmentName": env.environment_name,
            "AutoScalingGroups": [{"Name": resources["asg"]}] if live else [],
            "Instances": [{"Id": instance_id} for instance_id in env.instance_ids] if live else [],
            "LaunchConfigurations": [],
            "LaunchTemplates": [{"Id": resources["launch_template"]}] if live else [],
            "LoadBalancers": [{"Name": resources["load_balancer"]}] if live and env.is_web else [],
            "Triggers": [],
            "Queues": [resources["queue"]] if live and not env.is_web else [],
        }
        return ActionResult({"EnvironmentResources": shape})

    def describe_configuration_settings(self) -> ActionResult:
        backend = self.elasticbeanstalk_backend
        app = application_get(backend, self._get_param("ApplicationName"))
        name = self._get_param("EnvironmentName")
        if not name:
            raise error("No Environment found for EnvironmentName = ''.")
        env = environment_find(backend, env_id=None, name=name)
        if env.application_name != app.application_name:
            raise error(f"No Environment found for EnvironmentName = '{name}'.")
        return ActionResult({"ConfigurationSettings": [configuration_settings(env)]})


def configuration_settings(env: SandboxEnvironment) -> dict[str, Any]:
    """The `ConfigurationSettingsDescription` of a running environment: its settings over realistic defaults."""
    extra = WEB_SETTINGS if env.is_web else WORKER_SETTINGS
    defaults = {(ns, option): value for ns, option, value in (*DEFAULT_SETTINGS, *extra)}
    given = {(s.get("Namespace"), s.get("OptionName")): s for s in env.option_settings}
    settings = [
        {"Namespace": ns, "OptionName": option, "Value": value}
        for (ns, option), value in defaults.items()
        if (ns, option) not in given
    ]
    settings += list(given.values())
    settings.sort(key=lambda s: (s.get("Namespace", ""), s.get("OptionName", "")))
    shape = {
        "SolutionStackName": env.solution_stack_name,
        "PlatformArn": env.platform_arn,
        "ApplicationName": env.application_name,
        "Description": env.description,
        "EnvironmentName": env.environment_name,
        "DeploymentStatus": "deployed",
        "DateCreated": env.date_created,
        "DateUpdated": env.settings_updated,
        "OptionSettings": settings,
    }
    return {key: value for key, value in shape.items() if value is not None}


def _instances_health(health_status: str | None, count: int) -> dict[str, int]:
    """Per-instance counts: one instance carries a Warning/Degraded/Severe status, the rest are in the env's."""
    summary = dict.fromkeys(("NoData", "Unknown", "Pending", "Ok", "Info", "Warning", "Degraded", "Severe"), 0)
    if not count:
        return summary
    if health_status in ("Warning", "Degraded", "Severe"):
        summary[health_status], summary["Ok"] = 1, count - 1
    elif health_status in summary:
        summary[health_status] = count
    return summary


def _naive(value: Any) -> Any:
    """moto stores naive UTC; botocore parses timestamps to aware datetimes."""
    if value is None or getattr(value, "tzinfo", None) is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)
