"""A tiny client for the sandbox's fault-injection API (see `middleware.py` for the semantics)."""

from __future__ import annotations

from typing import Any

import requests

FAULTS_PATH = "/fleetui-sandbox/faults"


def _call(method: str, url: str, payload: dict[str, Any] | None = None) -> Any:
    response = requests.request(method, url, json=payload, timeout=30)
    response.raise_for_status()
    return response.json()


def fault_inject(
    *,
    endpoint: str,
    action: str,
    error: str | None = None,
    count: int | None = None,
    rate: float | None = None,
    latency_ms: int | None = None,
    status: int | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """Set the fault of `action` on the sandbox at `endpoint`; returns the stored fault. Raises requests.HTTPError (400)
    on an invalid spec."""
    spec = {"action": action, "error": error, "count": count, "rate": rate, "latency_ms": latency_ms}
    spec.update(status=status, seed=seed)
    return _call("POST", endpoint.rstrip("/") + FAULTS_PATH, {k: v for k, v in spec.items() if v is not None})


def faults_list(*, endpoint: str) -> list[dict[str, Any]]:
    """The active faults."""
    return _call("GET", endpoint.rstrip("/") + FAULTS_PATH)["faults"]


def faults_clear(*, endpoint: str) -> None:
    """Remove every fault."""
    _call("DELETE", endpoint.rstrip("/") + FAULTS_PATH)
