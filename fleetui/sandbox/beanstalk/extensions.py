"""fleetui's Elastic Beanstalk for the sandbox: moto 5.2.5's EB extended to behave like the real API.

`install()` puts the actions of api.py and describe.py on moto's EBResponse (moto dispatches by the snake-cased
action name, e.g. SwapEnvironmentCNAMEs -> `swap_environment_cnam_es`). Environment operations take
`CONFIG.delay` seconds, computed lazily from timestamps (state.settle), never threads.

Control API (JSON, on the sandbox server; middleware.py asks `control` for the handler):
- `GET /fleetui-sandbox/beanstalk` -> `{"delay": 3.0}`.
- `POST /fleetui-sandbox/beanstalk` `{"delay": 0.2}` sets the delay (seconds) of operations started from now on.
- `POST /fleetui-sandbox/beanstalk/health` `{"account_id": "123456789012", "region": "us-east-1",
  "environment": "<name or e-id>", "health": "Yellow", "health_status": "Warning"}` overrides what the env
  reports as Health/HealthStatus, sticky across later transitions until set again (`"health": null` clears it).
- `POST /moto-api/reset` resets the config to its defaults (FLEETUI_SANDBOX_EB_DELAY, else 3.0 s).
"""

from __future__ import annotations

from typing import Any

from moto.core import errors as moto_errors
from moto.core.exceptions import ServiceException
from moto.elasticbeanstalk.models import eb_backends
from moto.elasticbeanstalk.responses import EBResponse
from moto.utilities.aws_headers import gen_amzn_requestid_long

from ..middleware import CONTROL_PREFIX, ControlHandler
from .api import ApplicationResponses, EnvironmentResponses
from .describe import DescribeResponses
from .state import CONFIG, default_delay, environment_find, event_add, settle

CONTROL_PATH = CONTROL_PREFIX + "beanstalk"
HEALTH_PATH = CONTROL_PATH + "/health"
HEALTHS = ("Green", "Yellow", "Red", "Grey")
HEALTH_STATUSES = ("NoData", "Unknown", "Pending", "Ok", "Info", "Warning", "Degraded", "Severe", "Suspended")
_ACTIONS: tuple[tuple[type, tuple[str, ...]], ...] = (
    (
        ApplicationResponses,
        (
            "create_application",
            "describe_applications",
            "create_application_version",
            "describe_application_versions",
            "delete_application_version",
        ),
    ),
    (
        EnvironmentResponses,
        (
            "create_environment",
            "describe_environments",
            "update_environment",
            "terminate_environment",
            "swap_environment_cnam_es",
            "check_dns_availability",
            "_env",
        ),
    ),
    (
        DescribeResponses,
        (
            "describe_events",
            "describe_environment_health",
            "describe_environment_resources",
            "describe_configuration_settings",
        ),
    ),
)


def install() -> None:
    """Put fleetui's Beanstalk actions on moto's EBResponse; safe to call more than once."""
    for source, names in _ACTIONS:
        for name in names:
            setattr(EBResponse, name, source.__dict__[name])
    setattr(EBResponse, "_enrich_response", staticmethod(_enrich_response))  # noqa: B010
    # MissingParameter is one of AWS's common errors, which moto's list lacks (it warns on every such answer).
    if "MissingParameter" not in moto_errors.COMMON_ERROR_CODES:
        moto_errors.COMMON_ERROR_CODES.append("MissingParameter")


def _enrich_response(headers: dict[str, str], body: Any) -> tuple[dict[str, str], Any]:
    """moto's version rewrites `<RequestId>.*</RequestId>` greedily, which swallows everything between an event's
    RequestId and the response's own (DescribeEvents came back as broken XML). Only the last one is the response's.
    """
    if "status" in headers:
        headers["status"] = str(headers["status"])
    request_id = gen_amzn_requestid_long(headers)
    if isinstance(body, str):
        start = body.rfind("<RequestId>")
        end = body.find("</RequestId>", start)
        if start >= 0 and end > start:
            body = body[: start + len("<RequestId>")] + request_id + body[end:]
    return headers, body


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
    """Override one environment's Health/HealthStatus (see the module docstring); records a health event."""
    backend = eb_backends[str(data["account_id"])][str(data["region"])]
    target = str(data["environment"])
    is_id = target.startswith("e-")
    try:
        env = settle(environment_find(backend, env_id=target if is_id else None, name=None if is_id else target))
    except ServiceException as exc:  # InvalidParameterValue: no such environment
        raise ValueError(exc.message) from exc
    health = data.get("health")
    if health is None:
        env.health_override = None
    else:
        status = data.get("health_status") or {"Green": "Ok", "Yellow": "Warning", "Red": "Degraded"}.get(
            health, "NoData"
        )
        if health not in HEALTHS or status not in HEALTH_STATUSES:
            raise ValueError(f"health must be one of {HEALTHS} and health_status one of {HEALTH_STATUSES}")
        before = env.effective_health()[1]
        env.health_override = (health, status)
        if before != status:
            severity = "WARN" if status in ("Warning", "Degraded", "Severe") else "INFO"
            event_add(env, f"Environment health has transitioned from {before} to {status}.", severity=severity)
    health_now, status_now = env.effective_health()
    return {
        "environment": env.environment_name,
        "environment_id": env.environment_id,
        "health": health_now,
        "health_status": status_now,
    }


def control(path: str, method: str) -> ControlHandler | None:
    """The service hook: the JSON handler for one of Beanstalk's control paths and an HTTP method, else None."""
    if path == HEALTH_PATH:
        return health_set
    if path != CONTROL_PATH:
        return None
    if method == "POST":
        return config_set
    return lambda _data: config_get()
