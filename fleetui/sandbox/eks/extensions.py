"""fleetui's EKS for the sandbox: moto 5.2.5's EKS extended to behave like the real API.

`install()` adds the REST routes moto lacks (add-ons, updates) to moto's EKS URL map and puts api.py's actions on
moto's EKSResponse. It also teaches the fault middleware EKS's action names: EKS is a REST service, so a request
carries no `Action=` or `X-Amz-Target`; the name comes from botocore's own router (as moto's dispatch finds it),
so `POST /fleetui-sandbox/faults {"action": "ListClusters", "error": "AccessDeniedException", "status": 403}`
works for EKS like for the query and JSON services.

Control API (JSON, on the sandbox server; middleware.py asks `control` for the handler):
- `GET /fleetui-sandbox/eks` -> `{"delay": 3.0}`; `POST /fleetui-sandbox/eks` `{"delay": 0.2}` sets the seconds a
  nodegroup operation (create, scaling update) takes from now on.
- `POST /fleetui-sandbox/eks/health` `{"account_id": "123456789012", "region": "us-east-1", "cluster": "c",
  "nodegroup": "ng", "issues": [{"code": "AsgInstanceLaunchFailures", "message": "..."}]}` replaces the
  nodegroup's health issues (`[]` clears them); `resourceIds` defaults to the nodegroup's ASG.
- `POST /moto-api/reset` resets the delay to its default (FLEETUI_SANDBOX_EKS_DELAY, else 3.0 s).
"""

from __future__ import annotations

from typing import Any

import moto.eks.urls as eks_urls
from moto.core.request import Request
from moto.core.routing import NotFound, get_service_router
from moto.eks.exceptions import ResourceNotFoundException
from moto.eks.models import eks_backends
from moto.eks.responses import EKSResponse

from .. import middleware
from ..middleware import CONTROL_PREFIX, ControlHandler
from .api import ACTIONS, ORIGINAL, nodegroup_health_set
from .nodegroups import settle
from .state import CONFIG, default_delay, nodegroup_get

CONTROL_PATH = CONTROL_PREFIX + "eks"
HEALTH_PATH = CONTROL_PATH + "/health"
# REST routes moto's EKS lacks (moto matches the operation with botocore's router once a route reaches dispatch).
_ROUTES = (
    "{0}/clusters/(?P<name>[^/]+)/addons$",
    "{0}/clusters/(?P<name>[^/]+)/addons/(?P<addonName>[^/]+)$",
    "{0}/clusters/(?P<name>[^/]+)/updates$",
    "{0}/clusters/(?P<name>[^/]+)/updates/(?P<updateId>[^/]+)$",
)
# Nodegroup health issue codes (the EKS API reference's Issue.code).
ISSUE_CODES = frozenset(
    {
        "AutoScalingGroupNotFound", "AutoScalingGroupInvalidConfiguration", "Ec2SecurityGroupNotFound",
        "Ec2SecurityGroupDeletionFailure", "Ec2LaunchTemplateNotFound", "Ec2LaunchTemplateVersionMismatch",
        "Ec2SubnetNotFound", "Ec2SubnetInvalidConfiguration", "IamInstanceProfileNotFound",
        "Ec2SubnetMissingIpv6Assignment", "IamLimitExceeded", "IamNodeRoleNotFound", "NodeCreationFailure",
        "AsgInstanceLaunchFailures", "InstanceLimitExceeded", "InsufficientFreeAddresses", "AccessDenied",
        "InternalFailure", "ClusterUnreachable", "AmiIdNotFound", "AutoScalingGroupOptInRequired",
        "AutoScalingGroupRateLimitExceeded", "Ec2LaunchTemplateDeletionFailure",
        "Ec2LaunchTemplateInvalidConfiguration", "Ec2LaunchTemplateMaxLimitExceeded", "Ec2SubnetListTooLong",
        "IamThrottling", "NodeTerminationFailure", "PodEvictionFailure", "SourceEc2LaunchTemplateNotFound",
        "LimitExceeded", "Unknown", "AutoScalingGroupInstanceRefreshActive", "KubernetesLabelInvalid",
        "Ec2LaunchTemplateVersionMaxLimitExceeded", "Ec2InstanceTypeDoesNotExist",
    }
)  # fmt: skip


def install() -> None:
    """Add the routes and actions to moto's EKS and EKS's names to the fault middleware; safe to call again."""
    for route in _ROUTES:
        eks_urls.url_paths.setdefault(route, eks_urls.response.dispatch)
    for source, names in ACTIONS:
        for name in names:
            if name in EKSResponse.__dict__ and name not in ORIGINAL:
                ORIGINAL[name] = EKSResponse.__dict__[name]
            setattr(EKSResponse, name, source.__dict__[name])
    if not getattr(middleware.request_action, "fleetui_eks", False):
        middleware.request_action = _request_action_with_rest(middleware.request_action)


def _request_action_with_rest(original: Any) -> Any:
    def request_action(environ: dict[str, Any]) -> tuple[str | None, str]:
        action, protocol = original(environ)
        if action is None and middleware._signing_service(environ) == "eks":
            return rest_action(environ), "json"
        return action, protocol

    request_action.fleetui_eks = True  # type: ignore[attr-defined]
    return request_action


def rest_action(environ: dict[str, Any]) -> str | None:
    """The EKS operation a REST request calls (ListClusters, DescribeNodegroup, ...), from botocore's router."""
    request = Request(dict(environ, **{"wsgi.input": _NoBody()}))
    try:
        operation, _params = get_service_router("eks").match(request)
    except (NotFound, NotImplementedError):
        return None
    return str(operation.name)


class _NoBody:
    """The router reads only the method and path: the body stays for moto."""

    def read(self, *_args: Any) -> bytes:
        return b""


def config_get() -> dict[str, Any]:
    return {"delay": CONFIG.delay}


def config_set(data: dict[str, Any]) -> dict[str, Any]:
    """Apply `{"delay": seconds}`; raises ValueError (answered 400) on anything else."""
    unknown = set(data) - {"delay"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if "delay" in data:
        delay = float(data["delay"])
        if delay < 0:
            raise ValueError("'delay' must be >= 0")
        CONFIG.delay = delay
    return config_get()


def config_reset() -> None:
    """Back to the defaults; called on `POST /moto-api/reset`."""
    CONFIG.delay = default_delay()


def health_set(data: dict[str, Any]) -> dict[str, Any]:
    """Replace one nodegroup's health issues (see the module docstring)."""
    unknown = set(data) - {"account_id", "region", "cluster", "nodegroup", "issues"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    backend = eks_backends[str(data["account_id"])][str(data["region"])]
    try:
        nodegroup = settle(nodegroup_get(backend, str(data["cluster"]), str(data["nodegroup"])))
    except ResourceNotFoundException as exc:
        raise ValueError(f"no nodegroup {data['nodegroup']!r} in cluster {data['cluster']!r} there") from exc
    issues = data.get("issues") or []
    if not isinstance(issues, list) or any(not isinstance(i, dict) or i.get("code") not in ISSUE_CODES for i in issues):
        raise ValueError(f"'issues' must be a list of {{code, message}} with code one of {sorted(ISSUE_CODES)}")
    nodegroup_health_set(nodegroup, issues)
    return {"nodegroup": nodegroup.nodegroup_name, "status": nodegroup.status, "health": nodegroup.health}


def control(path: str, method: str) -> ControlHandler | None:
    """The service hook: the JSON handler for one of EKS's control paths and an HTTP method, else None."""
    if path == HEALTH_PATH:
        return health_set
    if path != CONTROL_PATH:
        return None
    if method == "POST":
        return config_set
    return lambda _data: config_get()
