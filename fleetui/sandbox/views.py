"""The sandbox's fault page: admins switch fault injection on and off at run time from the browser.

It talks to the sandbox server at the standard boto3 endpoint setting, `AWS_ENDPOINT_URL` (the demo points it at
the sandbox), through the fault API's client (`faults.py`). Only the demo and test settings install this app, and
fleetui/urls.py includes these URLs only then.
"""

from __future__ import annotations

import os
from typing import Any

import requests
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fleetui.core.roles import Role, role_required

from .faults import fault_inject, faults_clear, faults_list
from .forms import ICE, SUGGESTED_ACTIONS, FaultForm
from .middleware import ERROR_STATUS


class SandboxUnavailable(Exception):
    """The fault API could not be used: not configured, unreachable, or not a fleetui sandbox."""


def sandbox_endpoint() -> str | None:
    """The sandbox's URL: boto3's own `AWS_ENDPOINT_URL`, or None when it is not set (real AWS, or no demo)."""
    return os.environ.get("AWS_ENDPOINT_URL") or None


def _refusal(exc: requests.HTTPError) -> str | None:
    """The sandbox's message when it refused a spec (400 with {"error": ...}), else None."""
    response = exc.response
    if response is None or response.status_code != 400:
        return None
    try:
        return str(response.json()["error"])
    except (ValueError, KeyError, TypeError):
        return None


def _unavailable(endpoint: str, exc: requests.RequestException | ValueError) -> SandboxUnavailable:
    return SandboxUnavailable(f"The fault API at {endpoint} did not answer as a fleetui sandbox does: {exc}")


def _listing(endpoint: str) -> list[dict[str, Any]]:
    """The active faults, each with the HTTP status an affected call gets."""
    try:
        faults = faults_list(endpoint=endpoint)
    except (requests.RequestException, ValueError) as exc:  # connection refused, 404 on a non-sandbox endpoint
        raise _unavailable(endpoint, exc) from exc
    for fault in faults:
        if fault.get("error"):
            fault["http_status"] = fault.get("status") or ERROR_STATUS.get(fault["error"], 400)
    return faults


def _inject(form: FaultForm, endpoint: str) -> dict[str, Any] | None:
    """Send the form's fault; on the sandbox's 400 the reason becomes the form's error and None is returned."""
    try:
        return fault_inject(endpoint=endpoint, **form.spec())
    except requests.HTTPError as exc:
        reason = _refusal(exc)
        if reason is None:
            raise _unavailable(endpoint, exc) from exc
        form.add_error(None, f"The sandbox refused this fault: {reason}")
        return None
    except (requests.RequestException, ValueError) as exc:
        raise _unavailable(endpoint, exc) from exc


def _describe(fault: dict[str, Any]) -> str:
    what = fault.get("error") or "latency only"
    scope = f"the next {fault['count']} calls" if fault.get("count") else "every call until removed"
    if fault.get("rate") is not None:
        scope += f" at rate {fault['rate']:g}"
    return f"{fault['action']}: {what} on {scope}."


@role_required(Role.ADMIN)
def faults(request: HttpRequest) -> HttpResponse:
    """GET: the active faults and the form to add one. POST: add (or replace) the fault of one API action.

    Answers 400 with the form's errors when the spec is invalid (locally, or refused by the sandbox), 503 on a
    POST when no sandbox is configured, 502 on a POST the sandbox did not take.
    """
    endpoint = sandbox_endpoint()
    form = FaultForm(request.POST) if request.method == "POST" else FaultForm(initial={"action": "StartInstances"})
    problem = None if endpoint else "not configured"
    status = 200
    active: list[dict[str, Any]] = []
    try:
        if request.method == "POST":
            if endpoint and form.is_valid() and (stored := _inject(form, endpoint)) is not None:
                messages.success(request, f"Fault set. {_describe(stored)}")
                return redirect("sandbox:faults")
            status = 400 if endpoint else 503
        if endpoint:
            active = _listing(endpoint)
    except SandboxUnavailable as exc:
        # The page still renders and says why; only a POST that could not be delivered is an error answer.
        problem = str(exc)
        status = 502 if request.method == "POST" else 200
    context = {
        "endpoint": endpoint,
        "problem": problem,
        "faults": active,
        "form": form,
        "suggested_actions": SUGGESTED_ACTIONS,
        "ice": ICE,
    }
    return render(request, "sandbox/faults.html", context, status=status)


@role_required(Role.ADMIN)
@require_POST
def faults_remove_all(request: HttpRequest) -> HttpResponse:
    """Remove every fault from the sandbox, then back to the fault page."""
    endpoint = sandbox_endpoint()
    if endpoint is None:
        messages.error(request, "The sandbox is not configured (AWS_ENDPOINT_URL is not set).")
        return redirect("sandbox:faults")
    try:
        faults_clear(endpoint=endpoint)
    except (requests.RequestException, ValueError) as exc:
        messages.error(request, str(_unavailable(endpoint, exc)))
    else:
        messages.success(request, "Removed every fault: the sandbox answers normally again.")
    return redirect("sandbox:faults")
