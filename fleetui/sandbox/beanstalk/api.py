"""Elastic Beanstalk API actions moto lacks or gets wrong: applications, versions and environments.

Methods of `EnvironmentResponses` / `ApplicationResponses` are installed on moto's EBResponse (see extensions.py),
so `self` is the EBResponse handling the request. Shapes follow botocore's service model. Every bad request is
answered with InvalidParameterValue (HTTP 400), as Beanstalk does; MissingParameter when neither an id nor a name
names the environment.
"""

from __future__ import annotations

from typing import Any

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.elasticbeanstalk.utils import make_arn

from .infra import (
    cname_check,
    cname_for,
    environment_id_new,
    instances_launch,
    platform_arn_from_stack,
    resources_new,
    stack_from_platform_arn,
)
from .state import (
    AppVersion,
    SandboxEnvironment,
    app_meta,
    application_get,
    environment_find,
    environments,
    error,
    event_add,
    op_start,
    ready_check,
    settle,
    version_check,
    versions_of,
)

TIERS = {"WebServer": "Standard", "Worker": "SQS/HTTP"}


class MissingParameterError(ServiceException):
    code = "MissingParameter"


def paged(items: list[Any], max_records: int | None, token: str | None) -> tuple[list[Any], str | None]:
    """One page of `items` and the NextToken of the next one (an opaque offset), as Beanstalk's Describe* page."""
    try:
        start = int(token) if token else 0
    except ValueError:
        raise error(f"Invalid NextToken: {token}") from None
    if not max_records:
        return items[start:], None
    end = start + max_records
    return items[start:end], (str(end) if end < len(items) else None)


def tier_parse(tier: dict[str, str] | None) -> dict[str, str]:
    """The Tier as given (Version defaults to 1.0); WebServer/Standard when absent."""
    tier = dict(tier or {"Name": "WebServer"})
    name = tier.get("Name", "WebServer")
    if name not in TIERS:
        raise error(f"Value '{name}' at 'tier.name' failed to satisfy constraint: must be WebServer or Worker.")
    if tier.get("Type", TIERS[name]) != TIERS[name]:
        raise error(f"Tier type {tier['Type']} is not valid for the {name} tier; use {TIERS[name]}.")
    return {"Name": name, "Type": TIERS[name], "Version": tier.get("Version") or "1.0"}


def settings_merge(current: list[dict[str, str]], given: list[dict[str, str]] | None) -> list[dict[str, str]]:
    """Option settings keyed by (Namespace, OptionName, ResourceName); later values win."""
    merged: dict[tuple[str, str, str], dict[str, str]] = {}
    for setting in [*current, *(given or [])]:
        key = (setting.get("Namespace", ""), setting.get("OptionName", ""), setting.get("ResourceName", ""))
        merged[key] = {k: v for k, v in setting.items() if v is not None}
    return list(merged.values())


def environment_named(response: Any, id_key: str = "EnvironmentId", name_key: str = "EnvironmentName") -> Any:
    """The environment a request names by id or name (MissingParameter when it names neither)."""
    env_id, name = response._get_param(id_key), response._get_param(name_key)
    if not env_id and not name:
        raise MissingParameterError(f"Either {name_key} or {id_key} must be specified.")
    return environment_find(response.elasticbeanstalk_backend, env_id=env_id, name=name)


class EnvironmentResponses:
    """CreateEnvironment, DescribeEnvironments, UpdateEnvironment, TerminateEnvironment, SwapEnvironmentCNAMEs."""

    _get_param: Any
    elasticbeanstalk_backend: Any
    current_account: str
    region: str

    def _env(self, id_key: str = "EnvironmentId", name_key: str = "EnvironmentName") -> SandboxEnvironment:
        return environment_named(self, id_key, name_key)

    def create_environment(self) -> ActionResult:
        app = application_get(self.elasticbeanstalk_backend, self._get_param("ApplicationName"))
        name = self._get_param("EnvironmentName")
        existing = app.environments.get(name)
        if isinstance(existing, SandboxEnvironment) and settle(existing).status != "Terminated":
            raise error(f"Environment {name} already exists.")
        version_check(app, self._get_param("VersionLabel"))
        tier = tier_parse(self._get_param("Tier"))
        cname = None
        if tier["Name"] == "WebServer":
            cname = cname_for(prefix=self._get_param("CNAMEPrefix"), env_name=name, region=self.region)
            cname_check(cname, self.region)
        env_id = environment_id_new()
        resources = resources_new(env_id=env_id, tier=tier, account_id=self.current_account, region=self.region)
        stack, platform = self._get_param("SolutionStackName"), self._get_param("PlatformArn")
        env = SandboxEnvironment(
            app,
            name,
            {tag["Key"]: tag["Value"] for tag in self._get_param("Tags", [])},
            environment_id=env_id,
            solution_stack_name=stack or stack_from_platform_arn(platform),
            platform_arn=platform or platform_arn_from_stack(stack, self.region),
            version_label=self._get_param("VersionLabel"),
            description=self._get_param("Description"),
            tier=tier,
            cname=cname,
            endpoint_url=resources.get("lb_dns"),
            option_settings=settings_merge([], self._get_param("OptionSettings")),
            resources=resources,
        )
        if existing is not None:  # a terminated env stays listed under its id; the name is free again
            app.environments[f"{name}#{existing.environment_id}"] = app.environments.pop(name)
        app.environments[name] = env
        op_start(env, "create", "Launching", ("Grey", "Pending"))
        event_add(env, "createEnvironment is starting.", when=env.date_updated)
        instances_launch(env)
        return ActionResult(env.as_shape())

    def describe_environments(self) -> ActionResult:
        envs = environments(self.elasticbeanstalk_backend)
        app, version = self._get_param("ApplicationName"), self._get_param("VersionLabel")
        ids, names = self._get_param("EnvironmentIds"), self._get_param("EnvironmentNames")
        include_deleted = self._get_param("IncludeDeleted", True)
        back_to = self._get_param("IncludedDeletedBackTo")
        found = [
            env
            for env in envs
            if (not app or env.application_name == app)
            and (not version or env.version_label == version)
            and (not ids or env.environment_id in ids)
            and (not names or env.environment_name in names)
            and (env.status != "Terminated" or _deleted_shown(env, include_deleted, back_to))
        ]
        page, token = paged(found, self._get_param("MaxRecords"), self._get_param("NextToken"))
        return ActionResult({"Environments": [env.as_shape() for env in page], "NextToken": token})

    def update_environment(self) -> ActionResult:
        env = self._env()
        ready_check(env)
        label = self._get_param("VersionLabel")
        version_check(env.application, label)
        settings = self._get_param("OptionSettings")
        if self._get_param("Description") is not None:
            env.description = self._get_param("Description")
        if settings:
            env.option_settings = settings_merge(env.option_settings, settings)
            env.settings_updated = utcnow()
        op_start(env, "update", "Updating", ("Grey", "Info"))
        env.op_version = label
        event_add(env, "Environment update is starting.", when=env.date_updated)
        if label is not None:
            event_add(env, "Deploying new version to instance(s).", when=env.date_updated, version_label=label)
        return ActionResult(env.as_shape())

    def terminate_environment(self) -> ActionResult:
        env = self._env()
        ready_check(env)
        env.resources["terminate_resources"] = self._get_param("TerminateResources", True)
        op_start(env, "terminate", "Terminating", ("Grey", "Unknown"))
        event_add(env, "terminateEnvironment is starting.", when=env.date_updated)
        return ActionResult(env.as_shape())

    def swap_environment_cnam_es(self) -> ActionResult:
        source = self._env("SourceEnvironmentId", "SourceEnvironmentName")
        destination = self._env("DestinationEnvironmentId", "DestinationEnvironmentName")
        if source is destination:
            raise error("Source and destination environments must be different.")
        for env in (source, destination):
            ready_check(env)
        for env in (source, destination):
            if not env.is_web or not env.cname:
                raise error(
                    f"Environment {env.environment_name} is a Worker tier environment; it has no CNAME to swap."
                )
        source.cname, destination.cname = destination.cname, source.cname
        pair = f"environments '{source.environment_name}' and '{destination.environment_name}'."
        for env in (source, destination):
            op_start(env, "swap", "Updating")
            env.op_request_id = source.op_request_id  # one request, as on AWS
            event_add(env, f"Swapping CNAMEs for {pair}", when=source.date_updated)
            # The CNAMEs have moved already, so the completion is recorded now (the product reads it as the swap).
            event_add(env, f"Completed swapping CNAMEs for {pair}", when=source.date_updated)
        return ActionResult({})

    def check_dns_availability(self) -> ActionResult:
        cname = cname_for(prefix=self._get_param("CNAMEPrefix"), env_name="", region=self.region)
        try:
            cname_check(cname, self.region)
        except ServiceException:
            return ActionResult({"Available": False})
        return ActionResult({"Available": True, "FullyQualifiedCNAME": cname})


def _deleted_shown(env: SandboxEnvironment, include_deleted: bool, back_to: Any) -> bool:
    if not include_deleted:
        return False
    return back_to is None or env.date_updated >= back_to.replace(tzinfo=None)


class ApplicationResponses:
    """CreateApplication (with Description), DescribeApplications, and the application version actions."""

    _get_param: Any
    elasticbeanstalk_backend: Any
    current_account: str
    region: str

    def create_application(self) -> ActionResult:
        name = self._get_param("ApplicationName")
        app = self.elasticbeanstalk_backend.create_application(application_name=name)
        app_meta(app)["description"] = self._get_param("Description")
        return ActionResult({"Application": _application_shape(app)})

    def describe_applications(self) -> ActionResult:
        names = self._get_param("ApplicationNames")
        apps = [
            app
            for app in self.elasticbeanstalk_backend.applications.values()
            if not names or app.application_name in names
        ]
        return ActionResult({"Applications": [_application_shape(app) for app in apps]})

    def create_application_version(self) -> ActionResult:
        name, label = self._get_param("ApplicationName"), self._get_param("VersionLabel")
        backend = self.elasticbeanstalk_backend
        if name not in backend.applications and self._get_param("AutoCreateApplication"):
            backend.create_application(application_name=name)
        app = application_get(backend, name)
        if label in versions_of(app):
            raise error(f"Application Version {label} already exists.")
        version = AppVersion(
            application_name=name,
            version_label=label,
            arn=make_arn(self.region, self.current_account, "applicationversion", f"{name}/{label}"),
            description=self._get_param("Description"),
            source_bundle=self._get_param("SourceBundle"),
            status="Processed" if self._get_param("Process") else "Unprocessed",
        )
        versions_of(app)[label] = version
        app_meta(app)["date_updated"] = version.date_created
        return ActionResult({"ApplicationVersion": version.as_shape()})

    def describe_application_versions(self) -> ActionResult:
        name, labels = self._get_param("ApplicationName"), self._get_param("VersionLabels")
        apps = [
            app
            for app in self.elasticbeanstalk_backend.applications.values()
            if not name or app.application_name == name
        ]
        found = [v for app in apps for v in versions_of(app).values() if not labels or v.version_label in labels]
        found.sort(key=lambda v: v.date_created, reverse=True)  # newest first, as AWS lists them
        page, token = paged(found, self._get_param("MaxRecords"), self._get_param("NextToken"))
        return ActionResult({"ApplicationVersions": [v.as_shape() for v in page], "NextToken": token})

    def delete_application_version(self) -> ActionResult:
        app = application_get(self.elasticbeanstalk_backend, self._get_param("ApplicationName"))
        label = self._get_param("VersionLabel")
        version_check(app, label)
        users = [
            env.environment_name
            for env in environments(self.elasticbeanstalk_backend)
            if env.application_name == app.application_name
            and label in (env.version_label, env.op_version)
            and env.status != "Terminated"
        ]
        if users:
            raise error(
                f"Unable to delete application version {label} because it is being used by environment(s): "
                f"{', '.join(users)}."
            )
        del versions_of(app)[label]
        return ActionResult({})


def _application_shape(app: Any) -> dict[str, Any]:
    meta = app_meta(app)
    versions = list(versions_of(app))
    shape = {
        "ApplicationArn": app.arn,
        "ApplicationName": app.application_name,
        "Description": meta["description"],
        "DateCreated": meta["date_created"],
        "DateUpdated": meta.get("date_updated", meta["date_created"]),
        "Versions": versions[::-1],  # newest first
        "ConfigurationTemplates": [],
    }
    return {key: value for key, value in shape.items() if value is not None}
