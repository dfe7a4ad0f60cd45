"""RunInstances `ClientToken` idempotency, which moto 5.2.5 lacks (it records the token but launches every time).

Like EC2 (see "Ensuring idempotency" in the EC2 API reference): a repeat of a RunInstances with the same client
token and the same parameters launches nothing and answers with the original reservation (the instances' state
may have moved on); the same token with any other parameter changed fails with IdempotentParameterMismatch.
Tokens are per account and region (moto's backend), and live as long as the backend (reset clears them), which
covers EC2's "at least 24 hours after the instance terminated". A request that failed launched nothing and
records nothing, so its retry launches.

Error codes: IdempotentParameterMismatch, InvalidParameterValue (a token over 64 characters).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.ec2.exceptions import EC2ClientError

MAX_TOKEN_LENGTH = 64
# Request fields that are not "parameters" of the launch: the token itself, the protocol's, and DryRun.
_NOT_PARAMETERS = frozenset({"Action", "Version", "ClientToken", "DryRun"})
# One lock for every backend: a redelivered launch racing its original must wait for it, not launch beside it.
_LOCK = threading.Lock()


def _tokens(backend: Any) -> dict[str, tuple[tuple[Any, ...], Any]]:
    """token -> (parameters fingerprint, reservation) for one moto EC2 backend; reset drops the backend's dict."""
    return backend.__dict__.setdefault("_fleetui_client_tokens", {})


def request_fingerprint(querystring: dict[str, list[str]]) -> tuple[Any, ...]:
    """The request's parameters, order-free, without the fields that may differ between identical requests."""
    return tuple(sorted((key, tuple(values)) for key, values in querystring.items() if key not in _NOT_PARAMETERS))


def run_instances_idempotent(original: Callable[[Any], ActionResult]) -> Callable[[Any], ActionResult]:
    """Wrap InstanceResponse.run_instances (outermost, so a repeat is answered before any validation)."""

    def run_instances(self: Any) -> ActionResult:
        token = self._get_param("ClientToken")
        if not token or self._get_bool_param("DryRun"):
            result = original(self)
            reservation: Any = result.result
            for instance in reservation.instances:
                instance.client_token = None  # moto records "ABCDE"; EC2 reports no token when none was sent
            return result
        if len(token) > MAX_TOKEN_LENGTH:
            raise EC2ClientError(
                "InvalidParameterValue", f"Value ({token}) for parameter clientToken is invalid. Too long."
            )
        fingerprint = request_fingerprint(self.querystring)
        with _LOCK:
            seen = _tokens(self.ec2_backend).get(token)
            if seen is not None:
                if seen[0] != fingerprint:
                    raise EC2ClientError(
                        "IdempotentParameterMismatch",
                        "Arguments on this idempotent request are inconsistent with arguments used in previous "
                        "request(s).",
                    )
                return ActionResult(seen[1])
            result = original(self)
            _tokens(self.ec2_backend)[token] = (fingerprint, result.result)
            return result

    run_instances.__wrapped__ = original  # type: ignore[attr-defined]
    run_instances._fleetui_idempotent = True  # type: ignore[attr-defined]
    return run_instances
