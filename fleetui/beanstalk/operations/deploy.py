"""beanstalk.deploy, beanstalk.create_environment and beanstalk.clone_environment.

Each reads AWS first, so a redelivered action continues instead of repeating:
- a deploy that finds the environment Updating after its own call only waits; one already on the version is done;
- a create (or clone) marks the environment's Description with the action id, so a redelivery that finds an
  environment of that name adopts it only when it is its own, and refuses a name someone else took.
Beanstalk's refusals (InvalidParameterValue: not Ready, unknown version, CNAME taken) fail the action with AWS's
message. The step log carries the environment's events as they arrive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from fleetui.actions.common import poll_interval, wait_timeout
from fleetui.actions.context import ActionContext
from fleetui.actions.models import ActionLogEntry
from fleetui.actions.registry import ActionFailed, ActionInvalid, Operation, operation
from fleetui.aws.beanstalk import configuration_settings, environments_describe, environments_named
from fleetui.aws.beanstalk_envs import environment_create, environment_update
from fleetui.beanstalk.models import ApplicationVersion, Environment
from fleetui.beanstalk.preflight import GREEN, health_level

from .common import ENVIRONMENTS, EventFeed, environments_known, events_resync
from .forms import CloneForm, CreateEnvironmentForm, DeployForm

if TYPE_CHECKING:
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account

# Settings DescribeConfigurationSettings reports that CreateEnvironment does not take back.
UNSETTABLE_NAMESPACES = ("aws:cloudformation:template:parameter",)


def versions_of(*, account: Account, region: str, application: str) -> list[str]:
    """The application's version labels in the inventory, newest first."""
    rows = ApplicationVersion.objects.filter(
        account=account, region=region, application_name=application, gone_at__isnull=True
    ).order_by("-date_created")
    return list(rows.values_list("version_label", flat=True))


@operation
class Deploy(Operation):
    kind, label, verb = "beanstalk.deploy", "Deploy a version", "Deploy"
    target_type, min_targets, max_targets = ENVIRONMENTS, 1, 1
    form_class = DeployForm
    acts_on = frozenset({"Ready"})
    help = "UpdateEnvironment to the version, then wait until the environment is Ready again."

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        row = environments_known(account=account, region=region, ids=targets)[targets[0]]
        labels = versions_of(account=account, region=region, application=row.application_name)
        if params["version_label"] not in labels:
            raise ActionInvalid(
                f"{row.application_name} has no version {params['version_label']!r} in the inventory; "
                f"known: {', '.join(labels[:10]) or 'none'}. Sync, or upload the version first.",
                field="version_label",
            )
        if row.status != "Ready":
            raise ActionInvalid(
                f"{row.environment_name} is {row.status}: Beanstalk deploys only to a Ready environment. Wait until "
                "it is Ready, then try again.",
                field="targets",
            )
        return targets

    def form_notice(
        self, *, account: Account | None, region: str, targets: list[str], params: dict[str, Any]
    ) -> dict[str, Any] | None:
        if account is None or not targets:
            return None
        row = Environment.objects.filter(account=account, region=region, environment_id=targets[0]).first()
        if row is None:
            return None
        labels = versions_of(account=account, region=region, application=row.application_name)
        return {"template": "beanstalk/_deploy_notice.html", "environment": row, "versions": labels}

    def describe(self, action: Action) -> str:
        return f"Deploy {action.params.get('version_label')} to {action.targets[0]}"

    def run(self, ctx: ActionContext) -> None:
        environment_id, label = ctx.targets[0], ctx.params["version_label"]
        ctx.step(f"Reading {environment_id}", progress=5)
        env = self._read(ctx, environment_id)
        if env.get("Status") == "Ready" and env.get("VersionLabel") == label and not ctx.result.get("called_at"):
            ctx.note(outcome=f"already on {label}")
            ctx.log(f"{env['EnvironmentName']} already runs {label}: nothing to deploy.")
            return
        if not ctx.result.get("called_at"):
            if env.get("Status") != "Ready":
                raise ActionFailed(
                    f"{env['EnvironmentName']} is {env.get('Status')}: Beanstalk deploys only to a Ready environment. "
                    "Nothing was changed; wait until it is Ready and deploy again."
                )
            ctx.step(f"Deploying {label} to {env['EnvironmentName']} (was {env.get('VersionLabel', '?')})", progress=15)
            ctx.note(from_version=env.get("VersionLabel", ""), to_version=label)
            environment_update(
                account=ctx.account, region=ctx.region, environment_id=environment_id, version_label=label
            )
            ctx.note(called_at=timezone.now().isoformat())
        env = self._wait_deployed(ctx, environment_id, label)
        events_resync(ctx)
        ctx.note(health=f"{env.get('Health', '?')}/{env.get('HealthStatus', '-')}")
        if health_level(env) != GREEN:
            ctx.log(
                f"Deployed, but {env['EnvironmentName']} is {env.get('Health')}/{env.get('HealthStatus', '-')}: "
                "do not swap production onto it until it is Green/Ok.",
                level=ActionLogEntry.Level.WARNING,
            )

    def _read(self, ctx: ActionContext, environment_id: str) -> dict[str, Any]:
        env = environments_describe(account=ctx.account, region=ctx.region, ids=[environment_id]).get(environment_id)
        if env is None:
            raise ActionFailed(f"{environment_id} no longer exists in AWS.")
        return env

    def _wait_deployed(self, ctx: ActionContext, environment_id: str, label: str) -> dict[str, Any]:
        ctx.step(f"Waiting until it is Ready on {label}", progress=30)
        feed = EventFeed(ctx, [environment_id])
        seen_updating = False

        def deployed() -> dict[str, Any] | None:
            nonlocal seen_updating
            env = self._read(ctx, environment_id)
            feed.pump()  # after the read: the read that finds it Ready may be the one that settled it, with its event
            seen_updating = seen_updating or env.get("Status") != "Ready"
            ctx.progress(60 if env.get("Status") != "Ready" else 90)
            if env.get("Status") != "Ready":
                return None
            if env.get("VersionLabel") == label:
                return env
            if seen_updating:
                raise ActionFailed(
                    f"The update ended with {env.get('VersionLabel')} still deployed, not {label}: Beanstalk rolled "
                    "back or the deployment failed. The step log holds the environment's events."
                )
            return None

        return ctx.wait(
            deployed, what=f"{environment_id} to run {label}", timeout=wait_timeout(), interval=poll_interval()
        )


class CreateMixin(Operation):
    """CreateEnvironment once (adopting its own environment on a redelivery), then wait until it is Ready."""

    def touched(self, action: Action) -> dict[str, list[str]]:
        created = action.result.get("environment_id")
        return {ENVIRONMENTS: [created]} if created else {}

    def create(self, ctx: ActionContext, request: dict[str, Any]) -> None:
        marker = f"(fleetui action #{ctx.action.pk})"
        request["Description"] = f"{request.get('Description', '')} {marker}".strip()[:200]
        name, application = request["EnvironmentName"], request["ApplicationName"]
        ctx.step(f"Creating {name} in {application}", progress=10)
        existing = environments_named(account=ctx.account, region=ctx.region, application=application, names=[name])
        if existing and not existing[0].get("Description", "").endswith(marker):
            raise ActionFailed(f"An environment named {name} already exists in {application}; pick another name.")
        env = existing[0] if existing else environment_create(account=ctx.account, region=ctx.region, request=request)
        ctx.note(environment_id=env["EnvironmentId"], environment_name=name, cname=env.get("CNAME", ""))
        ctx.step(f"Waiting until {name} is Ready", progress=30)
        feed = EventFeed(ctx, [env["EnvironmentId"]])

        def ready() -> dict[str, Any] | None:
            now = environments_describe(account=ctx.account, region=ctx.region, ids=[env["EnvironmentId"]])
            feed.pump()  # after the read, which may have settled it and written its last event
            found = now.get(env["EnvironmentId"])
            return found if found and found.get("Status") == "Ready" else None

        done = ctx.wait(ready, what=f"{name} to be Ready", timeout=wait_timeout(), interval=poll_interval())
        ctx.note(cname=done.get("CNAME", ""), health=f"{done.get('Health', '?')}/{done.get('HealthStatus', '-')}")
        events_resync(ctx)


@operation
class CreateEnvironment(CreateMixin):
    kind, label, verb = "beanstalk.create_environment", "Create a Beanstalk environment", "Create"
    target_type, min_targets, max_targets = ENVIRONMENTS, 0, 0
    form_class = CreateEnvironmentForm

    def describe(self, action: Action) -> str:
        return f"Create {action.params.get('environment_name')} in {action.params.get('application')}"

    def run(self, ctx: ActionContext) -> None:
        self.create(ctx, CreateEnvironmentForm.request(ctx.params))


@operation
class CloneEnvironment(CreateMixin):
    kind, label, verb = "beanstalk.clone_environment", "Clone an environment", "Clone"
    target_type, min_targets, max_targets = ENVIRONMENTS, 1, 1
    form_class = CloneForm
    help = "A new environment with the source's platform, tier and configuration, optionally on another version."

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        row = environments_known(account=account, region=region, ids=targets)[targets[0]]
        label = params.get("version_label")
        if label and label not in versions_of(account=account, region=region, application=row.application_name):
            raise ActionInvalid(f"{row.application_name} has no version {label!r} in the inventory.", "version_label")
        if params.get("cname_prefix") and not row.is_web:
            raise ActionInvalid("A Worker environment has no URL: leave the CNAME prefix empty.", "cname_prefix")
        return targets

    def describe(self, action: Action) -> str:
        return f"Clone {action.targets[0]} as {action.params.get('environment_name')}"

    def run(self, ctx: ActionContext) -> None:
        ctx.step(f"Reading {ctx.targets[0]} and its configuration", progress=5)
        source = environments_describe(account=ctx.account, region=ctx.region, ids=ctx.targets).get(ctx.targets[0])
        if source is None:
            raise ActionFailed(f"{ctx.targets[0]} no longer exists in AWS; nothing was created.")
        config = configuration_settings(
            account=ctx.account, region=ctx.region, application=source["ApplicationName"],
            environment_name=source["EnvironmentName"],
        )  # fmt: skip
        request: dict[str, Any] = {
            "ApplicationName": source["ApplicationName"],
            "EnvironmentName": ctx.params["environment_name"],
            "Tier": source["Tier"],
            "VersionLabel": ctx.params.get("version_label") or source.get("VersionLabel"),
            "OptionSettings": [
                {key: item[key] for key in ("Namespace", "OptionName", "Value")}
                for item in config.get("OptionSettings", [])
                if "Value" in item and not item["Namespace"].startswith(UNSETTABLE_NAMESPACES)
            ],
        }
        # CreateEnvironment takes the solution stack or the platform ARN, not both.
        stack = source.get("SolutionStackName")
        request.update({"SolutionStackName": stack} if stack else {"PlatformArn": source["PlatformArn"]})
        if ctx.params.get("cname_prefix"):
            request["CNAMEPrefix"] = ctx.params["cname_prefix"]
        self.create(ctx, request)
