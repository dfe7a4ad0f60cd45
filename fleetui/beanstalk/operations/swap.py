"""beanstalk.swap (blue/green: move the production URL, and swap back) and beanstalk.terminate_environment.

The swap is a toggle (SwapEnvironmentCNAMEs twice swaps back), so it is made idempotent here: the task records
both CNAMEs before the call, and on every delivery reads them again. It calls only while they are still as
recorded; when they are already exchanged (a delivery died after the call) it only waits; anything else is a
change made outside fleetui and fails without a call. The pre-flight checklist (fleetui.beanstalk.preflight) runs
on the request page, at request time and again in the task just before the call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils import timezone

from fleetui.actions.common import poll_interval, request_url, wait_timeout
from fleetui.actions.context import ActionContext
from fleetui.actions.models import ActionLogEntry
from fleetui.actions.registry import ActionFailed, ActionInvalid, NoParams, Operation, operation
from fleetui.aws import AwsError
from fleetui.aws.beanstalk import environments_describe
from fleetui.aws.beanstalk_envs import cnames_swap, environment_terminate
from fleetui.beanstalk import swaps
from fleetui.beanstalk.models import Environment
from fleetui.beanstalk.preflight import SwapPlan, swap_preflight
from fleetui.core.roles import Role, has_role
from fleetui.inventory.sync import account_ref

from .common import (
    ENVIRONMENTS,
    EventFeed,
    environments_busy,
    environments_known,
    events_resync,
)

if TYPE_CHECKING:
    from fleetui.actions.models import Action
    from fleetui.inventory.models import Account


class SwapForm(NoParams):
    partner = forms.ChoiceField(
        label="Production now on", help_text="The web environment that holds the production URL now."
    )
    override = forms.ChoiceField(
        required=False,
        label="Health override",
        choices=[
            ("", "None: swap only if it is Green/Ok"),
            ("warning", "Swap although it is Yellow/Warning"),
            ("admin", "Admin: swap although it is Red/Grey (give the reason)"),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """The partner is picked by name among the scope's live web environments (a worker has no URL to swap)."""
        super().__init__(*args, **kwargs)
        rows = (
            Environment.objects.filter(
                account=self.account, region=self.region, tier=Environment.Tier.WEB, gone_at__isnull=True
            ).order_by("application_name", "environment_name")
            if self.account is not None
            else []
        )
        fields: dict[str, Any] = self.fields
        fields["partner"].choices = [("", "Choose the environment…")] + [
            (row.environment_id, f"{row.environment_name} ({row.application_name}) · {row.cname or 'no URL'}")
            for row in rows
        ]


def swap_timeout() -> int:
    return int(settings.FLEETUI_BEANSTALK_SWAP_TIMEOUT)


@operation
class Swap(Operation):
    kind, label, verb = "beanstalk.swap", "Swap environment URLs (blue/green)", "Swap URLs"
    target_type, min_targets, max_targets = ENVIRONMENTS, 1, 1
    form_class = SwapForm
    result_template = "beanstalk/_swap_result.html"  # the URLs before and after, per environment
    help = (
        "The target environment takes the production URL from the partner; the partner gets the target's URL and "
        "becomes the standby."
    )

    def required_role(self, params: dict[str, Any]) -> Role:
        return Role.ADMIN if params.get("override") == "admin" else self.role

    def _plan(self, *, account: Account, region: str, promote: str, params: dict[str, Any], locked: bool) -> SwapPlan:
        busy = {} if locked else environments_busy(account=account, region=region, ids=[promote, params["partner"]])
        return swap_preflight(
            account=account_ref(account), region=region, promote_id=promote, partner_id=params["partner"],
            override=params.get("override", ""), busy=busy,
            production_url=_production_url(account=account, region=region, environment_id=promote),
        )  # fmt: skip

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        rows = environments_known(account=account, region=region, ids=[*targets, params["partner"]])
        try:
            plan = self._plan(account=account, region=region, promote=targets[0], params=params, locked=False)
        except AwsError as error:
            raise ActionInvalid(f"AWS could not be read to check the swap ({error}); nothing was recorded.") from error
        if not plan.ok:
            raise ActionInvalid(f"Not swapped; nothing was changed. {plan.refusal()}", field="targets")
        params["application"] = rows[targets[0]].application_name
        return targets

    def form_notice(
        self, *, account: Account | None, region: str, targets: list[str], params: dict[str, Any]
    ) -> dict[str, Any] | None:
        if account is None or not targets or not params.get("partner"):
            return None
        try:
            plan = self._plan(account=account, region=region, promote=targets[0], params=params, locked=False)
        except AwsError as error:
            return {"template": "beanstalk/_swap_preflight.html", "error": f"AWS could not be read: {error}"}
        return {"template": "beanstalk/_swap_preflight.html", "plan": plan}

    def lock_keys(self, action: Action) -> list[str]:
        return [*action.targets, action.params["partner"]]

    def touched(self, action: Action) -> dict[str, list[str]]:
        return {ENVIRONMENTS: [*action.targets, action.params["partner"]]}

    def describe(self, action: Action) -> str:
        return f"Swap URLs: {action.targets[0]} takes production from {action.params['partner']}"

    def summary(self, action: Action, rows: dict[str, Any]) -> str:
        """ "shop.example.com now on shop-green" once swapped; else what the default says (the error)."""
        promoted, url = action.result.get("promoted", ""), action.result.get("production_url", "")
        if action.error or not (url and action.result.get("after")):
            return super().summary(action, rows)
        return f"{url} now on {rows[promoted].label if promoted in rows else promoted}"

    def run(self, ctx: ActionContext) -> None:
        promote, partner = ctx.targets[0], ctx.params["partner"]
        ctx.step("Reading both environments' CNAMEs", progress=5)
        current = self._cnames(ctx, promote, partner)
        before = ctx.result.get("before") or current
        swapped = {promote: before[partner], partner: before[promote]}
        if current == swapped:
            ctx.log(
                "The CNAMEs are already exchanged (an earlier delivery made the call): not calling "
                "SwapEnvironmentCNAMEs again, which would swap them back."
            )
        elif current == before:
            self._check_and_call(ctx, promote, partner, before)
        else:
            raise ActionFailed(
                f"The CNAMEs changed outside this swap (recorded before: {before}; now: {current}). "
                "Nothing was called. Sync Beanstalk and look at both environments before trying again."
            )
        after = self._wait_exchanged(ctx, promote, partner, swapped)
        ctx.note(after=after, swapped_at=timezone.now().isoformat())
        events_resync(ctx)
        standby = f"; {partner} is the standby for the DNS grace period" if ctx.result.get("standby") else ""
        ctx.log(f"{before[partner]} now serves {promote}{standby}.")

    def _cnames(self, ctx: ActionContext, promote: str, partner: str) -> dict[str, str]:
        found = environments_describe(account=ctx.account, region=ctx.region, ids=[promote, partner])
        missing = [eid for eid in (promote, partner) if eid not in found]
        if missing:
            raise ActionFailed(f"{', '.join(missing)} no longer exists in AWS; nothing was swapped by this delivery.")
        return {eid: found[eid].get("CNAME", "") for eid in (promote, partner)}

    def _check_and_call(self, ctx: ActionContext, promote: str, partner: str, before: dict[str, str]) -> None:
        ctx.step("Pre-flight checks, just before the call", progress=15)
        plan = self._plan(
            account=ctx.action.account, region=ctx.region, promote=promote, params=ctx.params, locked=True
        )
        for check in plan.checks:
            ctx.log(f"{'OK' if not check.blocks else 'REFUSED'} · {check.label}: {check.detail}")
        for warning in plan.dns_warnings:
            ctx.log(warning, level=ActionLogEntry.Level.WARNING)
        if not plan.ok:
            raise ActionFailed(f"Refused before the swap; nothing was changed. {plan.refusal()}")
        # Only a swap that hands over the production URL makes a standby (and moves the production URL).
        moves = plan.moves_production
        ctx.note(
            application=ctx.params.get("application", ""), promoted=promote, standby=partner if moves else "",
            production_url=before[partner] if moves else "", before=before, warnings=plan.dns_warnings,
        )  # fmt: skip
        ctx.step(f"Swapping the CNAMEs: {before[partner]} moves to {promote}", progress=30)
        cnames_swap(account=ctx.account, region=ctx.region, source_id=partner, destination_id=promote)
        ctx.note(called_at=timezone.now().isoformat())

    def _wait_exchanged(
        self, ctx: ActionContext, promote: str, partner: str, swapped: dict[str, str]
    ) -> dict[str, str]:
        ctx.step("Waiting until both environments are Ready with the URLs exchanged", progress=40)
        feed = EventFeed(ctx, [promote, partner])
        seen: dict[str, Any] = {}

        def exchanged() -> dict[str, str] | None:
            found = environments_describe(account=ctx.account, region=ctx.region, ids=[promote, partner])
            feed.pump()  # after the read, which may have settled the swap and written its last event
            seen.update({eid: (env.get("CNAME", ""), env.get("Status", "")) for eid, env in found.items()})
            cnames = {eid: seen.get(eid, ("", ""))[0] for eid in (promote, partner)}
            ready = all(seen.get(eid, ("", ""))[1] == "Ready" for eid in (promote, partner))
            ctx.progress(70 if cnames == swapped else 50)
            return cnames if cnames == swapped and ready else None

        try:
            return ctx.wait(exchanged, what="the exchange", timeout=swap_timeout(), interval=poll_interval())
        except ActionFailed:
            state = "; ".join(f"{eid}: {cname or 'no CNAME'} ({status})" for eid, (cname, status) in seen.items())
            raise ActionFailed(
                f"The exchange was not seen within {swap_timeout()} s. Last seen: {state}. The swap call was made; "
                "check both environments' events, and swap back once both are Ready if the URLs are not where "
                "they should be."
            ) from None

    def page_extra(self, action: Action, user: Any) -> dict[str, Any]:
        """A "Swap back" button (a new swap the other way, with the same checks) on a succeeded swap."""
        if action.status != "succeeded" or not has_role(user, self.role):
            return {}
        url = request_url(
            self.kind, account_id=action.account.account_id, region=action.region, targets=[action.params["partner"]],
            params={"partner": action.targets[0]}, parent=action.pk,
        )  # fmt: skip
        return {"buttons": [{"label": "Swap back", "url": url, "style": ""}]}


def _production_url(*, account: Account, region: str, environment_id: str) -> str:
    """The production URL of the environment's application (fleetui.beanstalk.swaps), from the inventory."""
    row = Environment.objects.filter(account=account, region=region, environment_id=environment_id).first()
    if row is None:
        return ""
    siblings = Environment.objects.filter(
        account=account, region=region, application_name=row.application_name, gone_at__isnull=True
    )
    return swaps.production_url(account=account, region=region, application=row.application_name, environments=siblings)


@operation
class TerminateEnvironment(Operation):
    """Refused for the standby during its DNS grace period and for the environment serving the production URL."""

    kind, label, verb = "beanstalk.terminate_environment", "Terminate environment", "Terminate"
    target_type, min_targets, max_targets = ENVIRONMENTS, 1, 1
    role, destructive = Role.ADMIN, True
    acts_on = frozenset({"Ready"})

    def refusal(self, *, account: Account, region: str, environment_id: str) -> str:
        """Why the environment must not be terminated now, or ""."""
        standby = swaps.standby_of(account=account, region=region, environment_id=environment_id)
        if standby is not None:
            until = timezone.localtime(standby.until)
            return (
                f"{environment_id} is the standby of swap #{standby.action.pk} until {until:%Y-%m-%d %H:%M %Z} "
                f"({standby.seconds_left // 60} min left): DNS resolvers and clients keep the old CNAME answer for "
                "its TTL and often longer, so it may still get production traffic, and it is what a swap back "
                "returns to. Wait until then, or swap back."
            )
        return ""

    def clean_targets(self, *, account: Account, region: str, targets: list[str], params: dict[str, Any]) -> list[str]:
        rows = environments_known(account=account, region=region, ids=targets)
        row = rows[targets[0]]
        why = self.refusal(account=account, region=region, environment_id=row.environment_id)
        serving = _production_url(account=account, region=region, environment_id=row.environment_id)
        if not why and row.is_web and row.cname and serving == row.cname:
            why = f"{row.environment_name} serves the production URL {row.cname}. Swap it elsewhere first."
        if why:
            raise ActionInvalid(why, field="targets")
        return targets

    def run(self, ctx: ActionContext) -> None:
        environment_id = ctx.targets[0]
        ctx.step("Checking the standby rule and reading the environment", progress=5)
        why = self.refusal(account=ctx.action.account, region=ctx.region, environment_id=environment_id)
        if why:
            raise ActionFailed(f"Refused; nothing was changed. {why}")
        found = environments_describe(account=ctx.account, region=ctx.region, ids=[environment_id])
        status = found.get(environment_id, {}).get("Status", "Terminated")
        if status == "Ready":
            ctx.step(f"Terminating {environment_id} and its resources", progress=20)
            environment_terminate(account=ctx.account, region=ctx.region, environment_id=environment_id)
        elif status not in ("Terminating", "Terminated"):
            raise ActionFailed(f"{environment_id} is {status}; Beanstalk terminates only a Ready environment.")
        ctx.step("Waiting until it is terminated", progress=40)
        feed = EventFeed(ctx, [environment_id])

        def gone() -> bool | None:
            now = environments_describe(account=ctx.account, region=ctx.region, ids=[environment_id])
            feed.pump()  # after the read, which may have settled it and written its last event
            return True if environment_id not in now else None

        ctx.wait(gone, what=f"{environment_id} to be terminated", timeout=wait_timeout(), interval=poll_interval())
        ctx.note(terminated=environment_id)
        events_resync(ctx)
