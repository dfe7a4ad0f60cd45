from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from fleetui.aws import QUICK, calls_profile

from .roles import Role, has_role


class RoleRequiredMiddleware(LoginRequiredMiddleware):
    """Login for everything, then the view's role (viewer unless it says more).

    The API is left to Django REST framework, whose token authentication happens inside the view;
    its default permission class denies anyone without a role.
    """

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        if not getattr(view_func, "login_required", True):
            return None
        redirect = super().process_view(request, view_func, view_args, view_kwargs)
        if redirect is not None:
            return redirect
        if not has_role(request.user, getattr(view_func, "required_role", Role.VIEWER)):
            raise PermissionDenied("Your account has no role that allows this. Ask an admin for one.")
        return None


class QuickAwsCallsMiddleware:
    """Somebody waits on every web request: the AWS calls made while answering one (a launch form's checks, a swap's
    checklist, a key pair created in the request) use fleetui.aws's quick profile, short timeouts and one retry, so
    a slow AWS shows as a clear error in seconds. An action that runs inline switches back to the standard profile
    (fleetui.actions.engine)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with calls_profile(QUICK):
            return self.get_response(request)


# No inline script, no eval, nothing from another origin: every script is a static file of the app (templates hold no
# <script> body and no on…= handler; tests/core/test_csp.py checks every app's templates). Inline styles stay allowed:
# charts size their bars with style attributes and the API docs page (drf-spectacular's Swagger UI) has a <style>.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Adds CONTENT_SECURITY_POLICY (or settings.FLEETUI_CONTENT_SECURITY_POLICY) to every response without one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "FLEETUI_CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response
