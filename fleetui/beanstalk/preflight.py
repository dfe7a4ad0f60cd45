"""The blue/green swap's pre-flight checklist: the same checks on the request page and in the task, just before
the SwapEnvironmentCNAMEs call.

`swap_checks` is pure: it takes the two environments as DescribeEnvironments returned them (live, never the
inventory's copy) and says, check by check, what passed, what needs an override and what blocks. `swap_preflight`
reads AWS (DescribeEnvironments, and Route 53 for records that would not move) and runs it.

Health gate on the environment that takes production: Green/Ok passes; Yellow/Warning needs the explicit
"warning" override (operators); Red, Grey, Degraded, Severe, NoData and the like need the "admin" override, which
only an admin may request, with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fleetui.aws import AccountRef, AwsError, route53
from fleetui.aws.beanstalk import environments_describe

PASS, WARN, FAIL, OVERRIDDEN = "pass", "warn", "fail", "overridden"
OVERRIDES = {"": 0, "warning": 1, "admin": 2}
GREEN, YELLOW, RED = 0, 1, 2
HEALTH_LEVEL = {"Green": GREEN, "Yellow": YELLOW, "Red": RED, "Grey": RED}
HEALTH_STATUS_LEVEL = {"Ok": GREEN, "Info": GREEN, "Warning": YELLOW, "Degraded": RED, "Severe": RED}


@dataclass(frozen=True)
class Check:
    label: str
    state: str  # pass, warn (needs the "warning" override), fail, overridden
    detail: str

    @property
    def blocks(self) -> bool:
        return self.state in (WARN, FAIL)


@dataclass
class SwapPlan:
    """The checklist of one swap: `promote` takes the production URL from `partner`."""

    promote_id: str
    partner_id: str
    promote: dict[str, Any] | None
    partner: dict[str, Any] | None
    # The application's production URL as fleetui knows it (fleetui.beanstalk.swaps), or "" when it cannot tell:
    # then the partner is taken to hold it, as the requester said.
    production_url: str = ""
    checks: list[Check] = field(default_factory=list)
    dns_warnings: list[str] = field(default_factory=list)

    @property
    def moves_production(self) -> bool:
        """Whether the swap hands the production URL to `promote` (else it swaps two other URLs)."""
        cname = (self.partner or {}).get("CNAME", "")
        return bool(cname) and (not self.production_url or cname == self.production_url)

    @property
    def ok(self) -> bool:
        return not any(check.blocks for check in self.checks)

    def refusal(self) -> str:
        """Every blocking check, each with what to do about it."""
        return " ".join(f"{check.label}: {check.detail}" for check in self.checks if check.blocks)

    def moves(self) -> list[str]:
        """Sentences naming exactly which URL moves to which environment and version."""
        if not (self.promote and self.partner and self.promote.get("CNAME") and self.partner.get("CNAME")):
            return []
        p, q = self.promote, self.partner
        if not self.moves_production:
            return [
                f"{q['CNAME']} (now on {q['EnvironmentName']}) moves to {p['EnvironmentName']}, version "
                f"{p.get('VersionLabel', '?')}, and {p['CNAME']} to {q['EnvironmentName']}, version "
                f"{q.get('VersionLabel', '?')}. Neither is the production URL ({self.production_url}).",
            ]
        return [
            f"{q['CNAME']} (the production URL, now on {q['EnvironmentName']}, version {q.get('VersionLabel', '?')}) "
            f"moves to {p['EnvironmentName']}, version {p.get('VersionLabel', '?')}.",
            f"{p['CNAME']} moves to {q['EnvironmentName']}, version {q.get('VersionLabel', '?')}, which becomes the "
            "standby: it keeps running, and a swap back returns production to it.",
        ]


def health_level(description: Mapping[str, Any]) -> int:
    """The worse of Health (colour) and HealthStatus (enhanced health); unknown values count as red."""
    colour = HEALTH_LEVEL.get(description.get("Health", ""), RED)
    status = description.get("HealthStatus")
    return max(colour, HEALTH_STATUS_LEVEL.get(status, RED)) if status else colour


def _found(plan: SwapPlan, where: str) -> Check:
    missing = [eid for eid, env in ((plan.promote_id, plan.promote), (plan.partner_id, plan.partner)) if env is None]
    if plan.promote_id == plan.partner_id:
        return Check("Two environments", FAIL, "An environment cannot swap URLs with itself; pick the other one.")
    if missing:
        return Check(
            "Both environments exist", FAIL,
            f"{', '.join(missing)} is not a live environment in {where} (terminated, or another account or region). "
            "Sync Beanstalk and pick again.",
        )  # fmt: skip
    return Check("Both environments exist", PASS, f"Both found in {where}.")


def _same_application(p: Mapping[str, Any], q: Mapping[str, Any], where: str) -> Check:
    if p["ApplicationName"] != q["ApplicationName"]:
        return Check(
            "Same application, account and region", FAIL,
            f"{p['EnvironmentName']} belongs to {p['ApplicationName']} and {q['EnvironmentName']} to "
            f"{q['ApplicationName']}: Beanstalk swaps URLs only within one application.",
        )  # fmt: skip
    return Check("Same application, account and region", PASS, f"Both in {p['ApplicationName']}, {where}.")


def _web_tier(p: Mapping[str, Any], q: Mapping[str, Any]) -> Check:
    workers = [env["EnvironmentName"] for env in (p, q) if (env.get("Tier") or {}).get("Name") != "WebServer"]
    if workers:
        return Check(
            "Both in the web server tier", FAIL,
            f"{', '.join(workers)} is a Worker environment: it has no URL, so it cannot take part in a URL swap. "
            "Pick two web server environments.",
        )  # fmt: skip
    return Check("Both in the web server tier", PASS, "Both have a URL.")


def _ready(p: Mapping[str, Any], q: Mapping[str, Any]) -> Check:
    busy = [
        f"{env['EnvironmentName']} is {env.get('Status', 'in an unknown state')}"
        + (" with an operation in progress" if env.get("AbortableOperationInProgress") else "")
        for env in (p, q)
        if env.get("Status") != "Ready" or env.get("AbortableOperationInProgress")
    ]
    if busy:
        return Check(
            "Both Ready, neither updating", FAIL,
            f"{'; '.join(busy)}. Wait until it is Ready (its events show the progress), then try again.",
        )  # fmt: skip
    return Check("Both Ready, neither updating", PASS, "Both are Ready.")


def _health(p: Mapping[str, Any], override: str) -> Check:
    label = f"{p['EnvironmentName']} (taking production) is healthy"
    shown = f"{p.get('Health', '?')}/{p.get('HealthStatus', '-')}"
    level, allowed = health_level(p), OVERRIDES.get(override, 0)
    if level == GREEN:
        return Check(label, PASS, f"Health {shown}.")
    if level == YELLOW:
        if allowed >= 1:
            return Check(label, OVERRIDDEN, f"Health {shown}: going ahead on the requester's explicit override.")
        return Check(
            label, WARN,
            f"Health {shown}. Look at its health causes; to swap anyway, choose the Yellow/Warning health override.",
        )  # fmt: skip
    if allowed >= 2:
        return Check(label, OVERRIDDEN, f"Health {shown}: going ahead on an admin's override.")
    return Check(
        label, FAIL,
        f"Health {shown}: production would move to an unhealthy environment. Fix it (or deploy a good version) "
        "first; only an admin can override this, with a reason.",
    )  # fmt: skip


def _direction(plan: SwapPlan) -> Check:
    p = plan.promote or {}
    if plan.production_url and p.get("CNAME") == plan.production_url:
        return Check(
            "Production moves to the environment you picked", FAIL,
            f"{p['EnvironmentName']} already serves the production URL {plan.production_url}. To move production, "
            "press Swap URLs on the environment that should take it.",
        )  # fmt: skip
    return Check("Production moves to the environment you picked", PASS, f"{p.get('EnvironmentName')} takes it.")


def _unlocked(busy: Mapping[str, str]) -> Check:
    if busy:
        return Check(
            "No other swap, deploy or terminate running on either", FAIL,
            " ".join(busy.values()) + " Wait for it to finish (or cancel it), then try again.",
        )  # fmt: skip
    return Check("No other swap, deploy or terminate running on either", PASS, "Neither is busy in fleetui.")


def swap_checks(plan: SwapPlan, *, where: str, override: str = "", busy: Mapping[str, str] | None = None) -> SwapPlan:
    """Fill `plan.checks`. `busy`: {environment id: why it is busy} from fleetui's action locks."""
    plan.checks = [_found(plan, where)]
    if plan.checks[0].blocks or plan.promote is None or plan.partner is None:
        return plan
    p, q = plan.promote, plan.partner
    plan.checks += [_same_application(p, q, where), _web_tier(p, q), _direction(plan), _ready(p, q)]
    plan.checks.append(_health(p, override))
    plan.checks.append(_unlocked(busy or {}))
    return plan


def dns_warnings(*, account: AccountRef, environments: list[Mapping[str, Any]]) -> list[str]:
    """Route 53 records of the account that point at an environment's load balancer instead of its CNAME: they do
    not move with the swap. Reports when Route 53 cannot be read instead of failing."""
    by_lb = {route53.dns_name(env["EndpointURL"]): env for env in environments if env.get("EndpointURL")}
    if not by_lb:
        return []
    try:
        records = route53.records_pointing_at(account=account, targets=list(by_lb))
    except AwsError as error:
        return [f"Route 53 could not be read ({error.code or error}): records that point at a load balancer were not "
                "checked."]  # fmt: skip
    return [
        f"{record['name']} ({record['type']}{' alias' if record['alias'] else ''} in zone {record['zone']}) points at "
        f"{by_lb[record['target']]['EnvironmentName']}'s load balancer, not at its CNAME, so it will NOT move with the "
        f"swap. Point it at {by_lb[record['target']].get('CNAME', 'the CNAME')} instead."
        for record in records
    ]


def swap_preflight(
    *, account: AccountRef, region: str, promote_id: str, partner_id: str, override: str = "",
    busy: Mapping[str, str] | None = None, production_url: str = "",
) -> SwapPlan:  # fmt: skip
    """Read both environments live and run every check (AwsError propagates: the caller says AWS could not be read)."""
    found = environments_describe(account=account, region=region, ids=[promote_id, partner_id])
    plan = SwapPlan(promote_id, partner_id, found.get(promote_id), found.get(partner_id), production_url)
    swap_checks(plan, where=f"{account.account_id or 'this account'}/{region}", override=override, busy=busy)
    if plan.promote is not None and plan.partner is not None:
        plan.dns_warnings = dns_warnings(account=account, environments=[plan.promote, plan.partner])
    return plan
