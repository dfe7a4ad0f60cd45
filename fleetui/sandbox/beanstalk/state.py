"""Elastic Beanstalk state the sandbox keeps on top of moto's backend: environments with lifecycles, versions, events.

Transitions are lazy: an operation records when it started and when it is due (`op_due` = start + the delay in
force at that moment); `settle(env)` completes it the first time the environment is read at or after that time,
and stamps the completion events with the due time, not the read time. No threads, so no races with moto's reset.

State lives on moto's per-(account, region) EB backend (environments in `Application.environments`, versions
and events in the backend's `__dict__`), so `POST /moto-api/reset` clears it like any moto state.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from moto.core.utils import utcnow
from moto.elasticbeanstalk.exceptions import InvalidParameterValueError
from moto.elasticbeanstalk.models import Application, EBBackend, Environment
from moto.moto_api._internal import mock_random

SEVERITIES = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
# HealthStatus values that are not fine, with the Causes line DescribeEnvironmentHealth shows for them.
HEALTH_CAUSES = {
    "Warning": "Impaired services on 1 out of {n} instances.",
    "Degraded": "Incorrect application version found on all instances.",
    "Severe": "100.0 % of the requests are failing with HTTP 5xx.",
    "Info": "Application update in progress on {n} instances.",
}
DELAY_ENV_VAR = "FLEETUI_SANDBOX_EB_DELAY"


def default_delay() -> float:
    """Seconds an environment operation takes, from FLEETUI_SANDBOX_EB_DELAY (default 3.0)."""
    return float(os.environ.get(DELAY_ENV_VAR) or 3.0)


@dataclass
class BeanstalkConfig:
    delay: float = field(default_factory=default_delay)


CONFIG = BeanstalkConfig()
_SETTLE_LOCK = threading.Lock()


def error(message: str) -> InvalidParameterValueError:
    """Beanstalk's answer to any bad request: InvalidParameterValue, HTTP 400."""
    return InvalidParameterValueError(message)


@dataclass
class Event:
    seq: int
    event_date: datetime
    message: str
    application_name: str
    environment_name: str | None = None
    version_label: str | None = None
    request_id: str | None = None
    severity: str = "INFO"
    environment_id: str | None = None  # not in the shape; DescribeEvents filters by it

    def as_shape(self) -> dict[str, Any]:
        shape: dict[str, Any] = {
            "EventDate": self.event_date,
            "Message": self.message,
            "ApplicationName": self.application_name,
            "EnvironmentName": self.environment_name,
            "VersionLabel": self.version_label,
            "RequestId": self.request_id,
            "Severity": self.severity,
        }
        return {key: value for key, value in shape.items() if value is not None}


@dataclass
class AppVersion:
    application_name: str
    version_label: str
    arn: str
    description: str | None
    source_bundle: dict[str, str] | None
    status: str
    date_created: datetime = field(default_factory=utcnow)

    def as_shape(self) -> dict[str, Any]:
        shape: dict[str, Any] = {
            "ApplicationVersionArn": self.arn,
            "ApplicationName": self.application_name,
            "Description": self.description,
            "VersionLabel": self.version_label,
            "SourceBundle": self.source_bundle,
            "DateCreated": self.date_created,
            "DateUpdated": self.date_created,
            "Status": self.status,
        }
        return {key: value for key, value in shape.items() if value is not None}


class SandboxEnvironment(Environment):
    """moto's Environment (tags and ARN keep working) with the fields and lifecycle of the real API."""

    def __init__(self, application: Application, environment_name: str, tags: dict[str, str], **fields: Any):
        super().__init__(application, environment_name, fields.get("solution_stack_name") or "", tags)
        self.environment_id: str = fields["environment_id"]
        self.solution_stack_name: str | None = fields.get("solution_stack_name")  # type: ignore[assignment]
        self._platform_arn: str | None = fields.get("platform_arn")
        self.version_label: str | None = fields.get("version_label")  # type: ignore[assignment]
        self.description: str | None = fields.get("description")
        self.tier: dict[str, str] = fields["tier"]
        self.cname: str | None = fields.get("cname")  # type: ignore[assignment]
        self.endpoint_url: str | None = fields.get("endpoint_url")  # type: ignore[assignment]
        self.option_settings: list[dict[str, str]] = fields.get("option_settings") or []
        self.resources: dict[str, Any] = fields.get("resources") or {}
        self.instance_ids: list[str] = []
        self.status, self.health, self.health_status = "Launching", "Grey", "Pending"
        self.health_override: tuple[str, str] | None = None
        self.op: str | None = None
        self.op_due: datetime = utcnow()
        self.op_request_id: str | None = None
        self.op_version: str | None = None
        self.settings_updated = self.date_created

    @property
    def platform_arn(self) -> str | None:  # type: ignore[override]
        return self._platform_arn

    @property
    def is_web(self) -> bool:
        return self.tier.get("Name") == "WebServer"

    @property
    def account_id(self) -> str:
        return str(self.application.account_id)

    def effective_health(self) -> tuple[str, str | None]:
        """(Health, HealthStatus) as reported: a health override (control endpoint) wins until the env goes away."""
        if self.status == "Terminated":
            return "Grey", None
        if self.health_override is not None and self.status != "Terminating":
            return self.health_override
        return self.health, self.health_status

    def as_shape(self) -> dict[str, Any]:
        """The `EnvironmentDescription` output shape."""
        health, health_status = self.effective_health()
        shape: dict[str, Any] = {
            "EnvironmentName": self.environment_name,
            "EnvironmentId": self.environment_id,
            "ApplicationName": self.application_name,
            "VersionLabel": self.version_label,
            "SolutionStackName": self.solution_stack_name,
            "PlatformArn": self.platform_arn,
            "Description": self.description,
            "EndpointURL": self.endpoint_url,
            "CNAME": self.cname,
            "DateCreated": self.date_created,
            "DateUpdated": self.date_updated,
            "Status": self.status,
            "AbortableOperationInProgress": self.op in ("create", "update"),
            "Health": health,
            "HealthStatus": health_status,
            "Tier": self.tier,
            "EnvironmentLinks": [],
            "EnvironmentArn": self.environment_arn,
        }
        return {key: value for key, value in shape.items() if value is not None}


def events_of(backend: EBBackend) -> list[Event]:
    """The events of one (account, region), oldest first."""
    return backend.__dict__.setdefault("_fleetui_eb_events", [])


def versions_of(app: Application) -> dict[str, AppVersion]:
    """An application's versions by label, in creation order."""
    return app.__dict__.setdefault("_fleetui_versions", {})


def app_meta(app: Application) -> dict[str, Any]:
    """Description and dates moto's Application does not record."""
    return app.__dict__.setdefault("_fleetui_meta", {"description": None, "date_created": utcnow()})


def request_id() -> str:
    return str(mock_random.uuid4())


def event_add(
    env: SandboxEnvironment, message: str, *, when: datetime | None = None, severity: str = "INFO", **extra: Any
) -> None:
    """Record an event about `env` (VersionLabel and RequestId default to the env's current ones)."""
    backend = env.application.backend
    events = events_of(backend)
    events.append(
        Event(
            seq=len(events),
            event_date=when or utcnow(),
            message=message,
            application_name=env.application_name,
            environment_name=env.environment_name,
            version_label=extra.get("version_label", env.version_label),
            request_id=extra.get("request_id", env.op_request_id),
            severity=severity,
            environment_id=env.environment_id,
        )
    )


def op_start(env: SandboxEnvironment, op: str, status: str, health: tuple[str, str] | None = None) -> None:
    """Begin a lazy operation: the env shows `status` (and `health`) until `settle` completes it."""
    now = utcnow()
    env.op, env.status, env.date_updated = op, status, now
    env.op_due = now + timedelta(seconds=CONFIG.delay)
    env.op_request_id = request_id()
    if health is not None:
        env.health, env.health_status = health


def ready_check(env: SandboxEnvironment) -> None:
    """Mutations need a Ready environment, as on AWS."""
    settle(env)
    if env.status != "Ready":
        raise error(
            f"Environment named {env.environment_name} is in an invalid state for this operation. Must be Ready."
        )


def settle(env: SandboxEnvironment) -> SandboxEnvironment:
    """Complete the env's pending operation if its time has come; every read and mutation calls this first."""
    if env.op is None or utcnow() < env.op_due:
        return env
    with _SETTLE_LOCK:  # the server is threaded: two concurrent reads must not both complete (and log) it
        if env.op is not None:
            _complete(env)
    return env


def _complete(env: SandboxEnvironment) -> None:
    from .infra import instances_terminate  # infra imports this module

    op, due = env.op, env.op_due
    env.op, env.date_updated = None, due
    if op == "terminate":
        if env.resources.get("terminate_resources", True):
            instances_terminate(env)
        env.status, env.health, env.health_status, env.cname = "Terminated", "Grey", "Unknown", None
        event_add(env, "terminateEnvironment completed successfully.", when=due)
        return
    before = env.effective_health()[1] or "Pending"
    env.status, env.health, env.health_status = "Ready", "Green", "Ok"
    after = env.effective_health()[1]
    if op == "create":
        _create_finish_events(env, due)
    elif op == "update":
        _update_finish(env, due)
    if before != after and op != "swap":
        event_add(env, f"Environment health has transitioned from {before} to {after}.", when=due)
    if op == "create":
        event_add(env, "createEnvironment completed successfully.", when=due)
    elif op == "update":
        event_add(env, "Environment update completed successfully.", when=due)


def _create_finish_events(env: SandboxEnvironment, due: datetime) -> None:
    resources = env.resources
    event_add(env, f"Created Auto Scaling group named: {resources['asg']}", when=due)
    if env.is_web:
        event_add(env, f"Created load balancer named: {resources['load_balancer']}", when=due)
    else:
        event_add(env, f"Created SQS queue named: {resources['queue']['Name']}", when=due)
    event_add(env, "Instance deployment completed successfully.", when=due)
    if env.cname:
        event_add(env, f"Application available at {env.cname}.", when=due)


def _update_finish(env: SandboxEnvironment, due: datetime) -> None:
    if env.op_version is not None:
        env.version_label, env.op_version = env.op_version, None
        event_add(env, "New application version was deployed to running EC2 instances.", when=due)


def environments(backend: EBBackend) -> list[SandboxEnvironment]:
    """Every environment of one (account, region), settled, oldest first."""
    envs = [env for app in backend.applications.values() for env in app.environments.values()]
    found = [settle(env) for env in envs if isinstance(env, SandboxEnvironment)]
    return sorted(found, key=lambda env: env.date_created)


def environment_find(backend: EBBackend, *, env_id: str | None, name: str | None) -> SandboxEnvironment:
    """The live (else latest terminated) environment with this id or name; InvalidParameterValue if none."""
    if not env_id and not name:
        raise error("No Environment found for EnvironmentName = ''.")
    matches = [
        env
        for env in environments(backend)
        if (env.environment_id == env_id if env_id else env.environment_name == name)
    ]
    live = [env for env in matches if env.status != "Terminated"]
    if live or matches:
        return (live or matches)[-1]
    if env_id:
        raise error(f"No Environment found for EnvironmentId = '{env_id}'.")
    raise error(f"No Environment found for EnvironmentName = '{name}'.")


def application_get(backend: EBBackend, name: str | None) -> Application:
    try:
        return backend.applications[name or ""]
    except KeyError:
        raise error(f"No Application named '{name}' found.") from None


def version_check(app: Application, label: str | None) -> None:
    if label is not None and label not in versions_of(app):
        raise error(f"No Application Version named '{label}' found.")
