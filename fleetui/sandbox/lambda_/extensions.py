"""fleetui's Lambda for the sandbox: moto 5.2.5's Lambda made to behave like the real API where fleetui relies on it.

- moto answers every configuration as LastUpdateStatus Successful at once. Here UpdateFunctionConfiguration starts
  an update that is InProgress for the delay in force, then Successful (or Failed, with a reason, for a function
  marked by `POST /fleetui-sandbox/lambda_/fail`); worked out lazily when the configuration is read (no threads).
  A second update while one is InProgress is refused with ResourceConflictException, as Lambda does.
- GetAccountSettings (moto has none): a concurrency limit of 1,000 per account and region (or
  MOTO_LAMBDA_CONCURRENCY_QUOTA), less what the functions reserve.
- PutFunctionConcurrency refuses a reservation that leaves fewer than 100 unreserved executions
  (InvalidParameterValueException, AWS's words); GetFunction reports a reservation of 0 (moto drops it).
- A function's VpcConfig names the VPC of its subnets (moto answers "vpc-123abc" whatever they are).
- Functions are created and read without Docker (moto needs it only to invoke, which the sandbox turns off).

Control API (JSON, on the sandbox server; middleware.py asks `control` for the handler):
- `GET /fleetui-sandbox/lambda_` -> `{"delay": 2.0}`; `POST /fleetui-sandbox/lambda_` `{"delay": 0.2}` sets the
  seconds a configuration update stays InProgress from now on.
- `POST /fleetui-sandbox/lambda_/fail` `{"account_id": "123456789012", "region": "us-east-1", "function":
  "orders-api", "reason": "..."}` makes the function's next configuration update end Failed with that reason.
- `POST /moto-api/reset` resets the delay to its default (FLEETUI_SANDBOX_LAMBDA_DELAY, else 2.0 s).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import moto.awslambda.urls as lambda_urls
from moto.awslambda.exceptions import InvalidParameterValueException, LambdaClientError
from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.awslambda.responses import LambdaResponse
from moto.awslambda.utils import get_backend
from moto.core.config import default_user_config
from moto.ec2.exceptions import InvalidSubnetIdError
from moto.ec2.models import ec2_backends

from ..middleware import CONTROL_PREFIX, ControlHandler

CONTROL_PATH = CONTROL_PREFIX + "lambda_"
FAIL_PATH = CONTROL_PATH + "/fail"
DELAY_ENV_VAR = "FLEETUI_SANDBOX_LAMBDA_DELAY"
DEFAULT_LIMIT = 1000  # concurrent executions per account and region
MIN_UNRESERVED = 100
_ROUTE = "{0}/(?P<api_version>[^/]+)/account-settings/?$"
_LOCK = threading.RLock()
_UPDATE, _FAIL = "fleetui_update", "fleetui_fail"


def default_delay() -> float:
    """Seconds a configuration update stays InProgress, from FLEETUI_SANDBOX_LAMBDA_DELAY (default 2.0)."""
    return float(os.environ.get(DELAY_ENV_VAR) or 2.0)


@dataclass
class LambdaConfig:
    delay: float = field(default_factory=default_delay)


CONFIG = LambdaConfig()


class ResourceConflict(LambdaClientError):
    code = 409

    def __init__(self, message: str) -> None:
        super().__init__("ResourceConflictException", message)


@dataclass
class Update:
    """A configuration update: InProgress until `due` (epoch seconds), then Successful, or Failed with `reason`."""

    due: float
    reason: str = ""

    def status(self) -> str:
        if time.time() < self.due:
            return "InProgress"
        return "Failed" if self.reason else "Successful"


def _update_of(fn: LambdaFunction) -> Update | None:
    update: Update | None = vars(fn).get(_UPDATE)
    return update


def _configuration(self: LambdaFunction, on_create: bool = False) -> dict[str, Any]:
    config: dict[str, Any] = _ORIGINAL["get_configuration"](self, on_create)
    update = _update_of(self)
    if update is not None and not on_create:
        config["LastUpdateStatus"] = update.status()
        if config["LastUpdateStatus"] == "Failed":
            config["LastUpdateStatusReason"] = update.reason
            config["LastUpdateStatusReasonCode"] = "InternalError"
    return config


def _vpc_config(self: LambdaFunction) -> dict[str, Any] | None:
    """VpcConfig with the VPC of its first subnet, as Lambda reports it."""
    config: dict[str, Any] | None = _ORIGINAL["vpc_config"].fget(self)
    subnets = (config or {}).get("SubnetIds") or []
    if config is not None and subnets:
        with contextlib.suppress(InvalidSubnetIdError):  # a subnet EC2 does not know: keep moto's answer
            config["VpcId"] = ec2_backends[self.account_id][self.region].get_subnet(subnets[0]).vpc_id
    return config


def _code(self: LambdaFunction) -> dict[str, Any]:
    answer: dict[str, Any] = _ORIGINAL["get_code"](self)
    if self.reserved_concurrency is not None:  # moto leaves out a reservation of 0
        answer["Concurrency"] = {"ReservedConcurrentExecutions": int(self.reserved_concurrency)}
    return answer


def _update_configuration(self: LambdaBackend, function_name: str, qualifier: str, body: dict[str, Any]) -> Any:
    """UpdateFunctionConfiguration: ResourceConflictException while an update is InProgress; otherwise moto's
    update, then InProgress for the delay."""
    with _LOCK:
        fn = self.get_function(function_name, qualifier)
        update = _update_of(fn)
        if update is not None and update.status() == "InProgress":
            raise ResourceConflict(
                f"The operation cannot be performed at this time. An update is in progress for resource: "
                f"{fn.function_arn}"
            )
        vars(fn)[_UPDATE] = Update(time.time() + CONFIG.delay, vars(fn).pop(_FAIL, ""))
        return _ORIGINAL["update_function_configuration"](self, function_name, qualifier, body)


def _limit() -> int:
    return int(os.environ.get("MOTO_LAMBDA_CONCURRENCY_QUOTA") or DEFAULT_LIMIT)


def _reserved(backend: LambdaBackend, but: str = "") -> int:
    return sum(int(fn.reserved_concurrency or 0) for fn in backend.list_functions() if fn.function_name != but)


def _put_function_concurrency(self: LambdaBackend, function_name: str, reserved_concurrency: str) -> Any:
    """PutFunctionConcurrency, refused when it would leave fewer than 100 unreserved executions."""
    fn = self.get_function(function_name)
    if _limit() - _reserved(self, but=fn.function_name) - int(reserved_concurrency) < MIN_UNRESERVED:
        raise InvalidParameterValueException(
            "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution "
            f"below its minimum value of [{MIN_UNRESERVED}]."
        )
    fn.reserved_concurrency = int(reserved_concurrency)
    return fn.reserved_concurrency


def get_account_settings(self: LambdaResponse) -> tuple[int, dict[str, str], str]:
    """GetAccountSettings: the account's limits and usage in this region (AccountLimit, AccountUsage)."""
    backend = self.backend
    functions = list(backend.list_functions())
    limit = _limit()
    body = {
        "AccountLimit": {
            "TotalCodeSize": 80530636800,
            "CodeSizeUnzipped": 262144000,
            "CodeSizeZipped": 52428800,
            "ConcurrentExecutions": limit,
            "UnreservedConcurrentExecutions": limit - _reserved(backend),
        },
        "AccountUsage": {
            "TotalCodeSize": sum(int(fn.code_size or 0) for fn in functions),
            "FunctionCount": len(functions),
        },
    }
    return 200, {}, json.dumps(body)


_ORIGINAL: dict[str, Any] = {}


def install() -> None:
    """Patch moto's Lambda; safe to call again."""
    default_user_config["lambda"] = {"use_docker": False}
    lambda_urls.url_paths.setdefault(_ROUTE, LambdaResponse.dispatch)
    _ORIGINAL.setdefault("get_configuration", LambdaFunction.get_configuration)
    _ORIGINAL.setdefault("get_code", LambdaFunction.get_code)
    _ORIGINAL.setdefault("vpc_config", LambdaFunction.__dict__["vpc_config"])
    _ORIGINAL.setdefault("update_function_configuration", LambdaBackend.update_function_configuration)
    LambdaFunction.get_configuration = _configuration  # type: ignore[method-assign]
    LambdaFunction.get_code = _code  # type: ignore[method-assign]
    LambdaFunction.vpc_config = property(_vpc_config)  # type: ignore[method-assign,assignment]
    LambdaBackend.update_function_configuration = _update_configuration  # type: ignore[method-assign]
    LambdaBackend.put_function_concurrency = _put_function_concurrency  # type: ignore[method-assign,assignment]
    LambdaResponse.get_account_settings = get_account_settings  # type: ignore[attr-defined]


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


def fail_next(data: dict[str, Any]) -> dict[str, Any]:
    """Make one function's next configuration update end Failed (see the module docstring)."""
    unknown = set(data) - {"account_id", "region", "function", "reason"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    backend = get_backend(str(data["account_id"]), str(data["region"]))
    try:
        fn = backend.get_function(str(data["function"]))
    except LambdaClientError as exc:
        raise ValueError(f"no function {data['function']!r} there") from exc
    reason = str(data.get("reason") or "The update could not be applied.")
    vars(fn)[_FAIL] = reason
    return {"function": fn.function_name, "reason": reason}


def control(path: str, method: str) -> ControlHandler | None:
    """The service hook: the JSON handler for one of Lambda's control paths and an HTTP method, else None."""
    if path == FAIL_PATH:
        return fail_next
    if path != CONTROL_PATH:
        return None
    if method == "POST":
        return config_set
    return lambda _data: config_get()
