"""WSGI middleware in front of moto: run-time fault injection by API action name, and sandbox control endpoints.

Control API (JSON, on the sandbox server itself):
- `POST /fleetui-sandbox/faults` `{"action": "DescribeInstances", "error": "RequestLimitExceeded", "count": 3}`
  sets the fault of one action (replacing any earlier one for it). Fields: `action` (API name, or "*" for every
  action without its own fault), `error` (AWS error code), `count` (affect only the next N calls), `rate`
  (0..1: affect that fraction of calls, drawn from a RNG seeded with `seed`, default 0), `latency_ms` (sleep
  before answering), optional `status` and `message` to override the realistic defaults.
  A call the fault affects first sleeps `latency_ms`, then fails with `error` if one is set.
- `GET /fleetui-sandbox/faults` lists active faults; `DELETE` clears all (or `?action=X` one).
- Any other `/fleetui-sandbox/...` path that a service package's `control` hook claims: its JSON handler gets the
  request's JSON object and answers with its result (400 with `{"error": ...}` on ValueError, KeyError or
  TypeError). For example EC2's `/fleetui-sandbox/backdate` (ec2/backdate.py) and Beanstalk's delay and health
  overrides, `/fleetui-sandbox/beanstalk` and `/fleetui-sandbox/beanstalk/health` (beanstalk/extensions.py).
- A JSON-protocol service moto lacks altogether (the Price List API, `pricing`): a service package's `JSON_TARGETS`
  `{"AWSPriceListService": {"GetProducts": handler}}` claims the `X-Amz-Target` prefix; the handler gets the request's
  JSON object and returns the answer, or raises `JsonServiceError(code, message)` (a 400 in AWS's JSON error shape).
  Faults apply to these actions like any other.
- `POST /moto-api/reset` also clears all faults and calls every service package's `reset` hook.

The action name is read from the query protocol's `Action=` (query string or form body), from the JSON
protocol's `X-Amz-Target`, or, for the REST-protocol services (EKS, Lambda, API Gateway, Batch, ...), which carry
no action name, from the request's method and path by botocore's own model, as moto's dispatch finds it.
"""

from __future__ import annotations

import io
import json
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, cast
from urllib.parse import parse_qs

from .services import service_hooks

CONTROL_PREFIX = "/fleetui-sandbox/"
FAULTS_PATH = CONTROL_PREFIX + "faults"
RESET_PATH = "/moto-api/reset"

# Realistic HTTP statuses: EC2 answers throttling with 503 (botocore's _retry.json expects it) and capacity
# errors as server errors (500), which botocore's standard retry mode also retries.
ERROR_STATUS = {
    "RequestLimitExceeded": 503,
    "ServiceUnavailable": 503,
    "Unavailable": 503,
    "InsufficientInstanceCapacity": 500,
    "InsufficientHostCapacity": 500,
    "InsufficientCapacity": 500,
    "InternalError": 500,
    "InternalFailure": 500,
}
ERROR_MESSAGE = {
    "RequestLimitExceeded": "Request limit exceeded.",
    "Throttling": "Rate exceeded",
    "ThrottlingException": "Rate exceeded",
    "InsufficientInstanceCapacity": (
        "We currently do not have sufficient capacity in the Availability Zone you requested. "
        "Our system will be working on provisioning additional capacity."
    ),
}

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
# What a service's `control(path, method)` hook returns: request JSON object -> answer (raises ValueError if bad).
ControlHandler = Callable[[dict[str, Any]], Any]


class JsonServiceError(Exception):
    """An AWS error answered by a JSON_TARGETS handler: `code` is the `__type`, 400 unless `status` says."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


@dataclass
class Fault:
    action: str
    error: str | None = None
    count: int | None = None
    rate: float | None = None
    latency_ms: int = 0
    status: int | None = None
    message: str | None = None
    seed: int = 0
    triggered: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    def public(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("rng")
        return data


def fault_parse(data: dict[str, Any]) -> Fault:
    """Validate a fault spec from the control API; raises ValueError with a readable message."""
    action = data.get("action")
    if not isinstance(action, str) or not action:
        raise ValueError("'action' (an API name such as DescribeInstances, or '*') is required")
    unknown = set(data) - {"action", "error", "count", "rate", "latency_ms", "status", "message", "seed"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    fault = Fault(
        action=action,
        error=data.get("error") or None,
        count=None if data.get("count") is None else int(data["count"]),
        rate=None if data.get("rate") is None else float(data["rate"]),
        latency_ms=int(data.get("latency_ms") or 0),
        status=None if data.get("status") is None else int(data["status"]),
        message=data.get("message"),
        seed=int(data.get("seed") or 0),
    )
    if not fault.error and not fault.latency_ms:
        raise ValueError("a fault needs 'error' and/or 'latency_ms'")
    if fault.count is not None and fault.count < 1:
        raise ValueError("'count' must be >= 1")
    if fault.rate is not None and not 0.0 <= fault.rate <= 1.0:
        raise ValueError("'rate' must be between 0 and 1")
    if fault.latency_ms < 0:
        raise ValueError("'latency_ms' must be >= 0")
    fault.rng = random.Random(fault.seed)
    return fault


class FaultRegistry:
    """Active faults by action name; thread-safe because the server is threaded."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, Fault] = {}

    def __bool__(self) -> bool:
        return bool(self._faults)

    def set(self, fault: Fault) -> None:
        with self._lock:
            self._faults[fault.action] = fault

    def clear(self, action: str | None = None) -> None:
        with self._lock:
            if action is None:
                self._faults.clear()
            else:
                self._faults.pop(action, None)

    def listing(self) -> list[dict[str, Any]]:
        with self._lock:
            return [fault.public() for fault in self._faults.values()]

    def take(self, action: str) -> Fault | None:
        """The fault that affects this call of `action`, if any; consumes one unit of its count."""
        with self._lock:
            fault = self._faults.get(action) or self._faults.get("*")
            if fault is None:
                return None
            if fault.rate is not None and fault.rng.random() >= fault.rate:
                return None
            fault.triggered += 1
            if fault.count is not None:
                fault.count -= 1
                if fault.count <= 0:
                    del self._faults[fault.action]
            return fault


def request_action(environ: dict[str, Any]) -> tuple[str | None, str]:
    """(action name, protocol) of a request: protocol is "json" or "query"; the body is re-wound for moto."""
    target = environ.get("HTTP_X_AMZ_TARGET")
    if target:
        return target.rsplit(".", 1)[-1], "json"
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if "Action" in query:
        return query["Action"][0], "query"
    if environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        form = parse_qs(body.decode("utf-8", "replace"))
        if "Action" in form:
            return form["Action"][0], "query"
    rest = rest_operation(environ)
    return (rest, "json") if rest else (None, "query")


def rest_operation(environ: dict[str, Any]) -> str | None:
    """The operation a REST-protocol request calls ("DescribeNodegroup"), matched by method and path against the
    signing service's botocore model; None when nothing matches (or the service is not a REST one)."""
    from botocore.exceptions import UnknownServiceError
    from moto.core.request import Request  # moto only once a request is served: services.py's rule
    from moto.core.routing import NotFound, get_service_router

    service = _signing_service(environ)
    if not service:
        return None
    headers_only = Request(dict(environ, **{"wsgi.input": io.BytesIO()}))  # the router never reads the body
    try:
        operation, _params = get_service_router(service).match(headers_only)
    except (NotFound, NotImplementedError, UnknownServiceError):
        return None
    return str(operation.name)


def _signing_service(environ: dict[str, Any]) -> str:
    # "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ec2/aws4_request, ..."
    auth = environ.get("HTTP_AUTHORIZATION", "")
    try:
        return auth.split("Credential=", 1)[1].split("/")[3]
    except IndexError:
        return ""


def error_response(environ: dict[str, Any], protocol: str, fault: Fault) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of an AWS error in the caller's protocol (EC2 query XML, other query XML, JSON)."""
    code = fault.error or "InternalError"
    status = fault.status or ERROR_STATUS.get(code, 400)
    message = fault.message or ERROR_MESSAGE.get(code, f"{code} (injected by the fleetui sandbox)")
    request_id = str(uuid.uuid4())
    if protocol == "json":
        body = json.dumps({"__type": code, "message": message}).encode()
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", code)]
    elif _signing_service(environ) == "ec2":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>'
            f"{code}</Code><Message>{_xml_escape(message)}</Message></Error></Errors>"
            f"<RequestID>{request_id}</RequestID></Response>"
        ).encode()
        headers = [("Content-Type", "text/xml;charset=UTF-8")]
    else:
        kind = "Receiver" if status >= 500 else "Sender"
        body = (
            "<ErrorResponse><Error><Type>"
            f"{kind}</Type><Code>{code}</Code><Message>{_xml_escape(message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
        headers = [("Content-Type", "text/xml")]
    headers += [("x-amzn-RequestId", request_id), ("Content-Length", str(len(body)))]
    return status, headers, body


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SandboxMiddleware:
    """Wraps moto's WSGI app; see the module docstring for the control API."""

    def __init__(self, app: WSGIApp, registry: FaultRegistry | None = None) -> None:
        self.app = app
        self.faults = registry or FaultRegistry()
        self._controls: list[Callable[[str, str], ControlHandler | None]] = service_hooks("control")
        self._resets: list[Callable[[], None]] = service_hooks("reset")
        self._json_targets: dict[str, dict[str, ControlHandler]] = {}
        for targets in service_hooks("JSON_TARGETS"):  # each a {target prefix: {action: handler}}
            self._json_targets.update(cast(dict[str, dict[str, ControlHandler]], targets))

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == FAULTS_PATH:
            return self._faults_endpoint(environ, start_response)
        if path.startswith(CONTROL_PREFIX):
            handler = self._control(path, environ.get("REQUEST_METHOD", "GET"))
            if handler is not None:
                return self._json_endpoint(environ, start_response, handler)
        if path == RESET_PATH and environ.get("REQUEST_METHOD") == "POST":
            self.faults.clear()
            for reset in self._resets:
                reset()
        elif self.faults:  # the fast path reads no body while no fault is set
            action, protocol = request_action(environ)
            fault = self.faults.take(action) if action else None
            if fault is not None:
                if fault.latency_ms:
                    time.sleep(fault.latency_ms / 1000)
                if fault.error:
                    status, headers, body = error_response(environ, protocol, fault)
                    start_response(f"{status} Injected", headers)
                    return [body]
        prefix, _, action_name = environ.get("HTTP_X_AMZ_TARGET", "").rpartition(".")
        if prefix in self._json_targets:
            return self._json_target(environ, start_response, self._json_targets[prefix], action_name)
        return self.app(environ, start_response)

    @staticmethod
    def _json_target(
        environ: dict[str, Any], start_response: StartResponse, handlers: dict[str, ControlHandler], action: str
    ) -> Iterable[bytes]:
        """Answer one action of a service that a package serves itself, in the JSON protocol."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            if action not in handlers:
                raise JsonServiceError("UnknownOperationException", f"{action} is not supported by the sandbox.")
            answer, status = handlers[action](json.loads(environ["wsgi.input"].read(length) or b"{}")), 200
        except JsonServiceError as error:
            answer, status = {"__type": error.code, "message": error.message}, error.status
        body = json.dumps(answer).encode()
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", str(uuid.uuid4()))]
        if status != 200:
            headers.append(("x-amzn-ErrorType", answer["__type"]))
        start_response(f"{status} {'OK' if status == 200 else 'Error'}", [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def _control(self, path: str, method: str) -> ControlHandler | None:
        """The JSON handler of the service package that claims this control path, if any."""
        for control in self._controls:
            handler = control(path, method)
            if handler is not None:
                return handler
        return None

    def _faults_endpoint(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method == "GET":
            return _json(start_response, 200, {"faults": self.faults.listing()})
        if method == "DELETE":
            action = parse_qs(environ.get("QUERY_STRING", "")).get("action", [None])[0]
            self.faults.clear(action)
            return _json(start_response, 200, {"faults": self.faults.listing()})
        if method == "POST":

            def fault_set(data: dict[str, Any]) -> dict[str, Any]:
                fault = fault_parse(data)
                self.faults.set(fault)
                return fault.public()

            return self._json_endpoint(environ, start_response, fault_set)
        return _json(start_response, 405, {"error": "use GET, POST or DELETE"})

    @staticmethod
    def _json_endpoint(
        environ: dict[str, Any], start_response: StartResponse, handler: ControlHandler
    ) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            data = json.loads(environ["wsgi.input"].read(length) or b"{}")
            if not isinstance(data, dict):
                raise ValueError("the body must be a JSON object")
            return _json(start_response, 200, handler(data))
        except (ValueError, KeyError, TypeError) as exc:
            return _json(start_response, 400, {"error": str(exc)})


def _json(start_response: StartResponse, status: int, payload: Any) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(f"{status} {'OK' if status == 200 else 'Error'}", [("Content-Type", "application/json")])
    return [body]
