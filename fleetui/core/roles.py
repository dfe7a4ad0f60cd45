"""Roles: viewer < operator < admin. Deny by default: a signed-in user with no role sees nothing.

A role is a Django group of the same name; superusers are admins. Pages declare the role they need
with `@role_required` (default: viewer, enforced by `RoleRequiredMiddleware`); the API uses the
permission classes below.
"""

from collections.abc import Callable
from enum import IntEnum
from typing import Any, TypeVar

from django.contrib.auth.models import Group
from rest_framework.permissions import BasePermission

F = TypeVar("F", bound=Callable[..., Any])


class Role(IntEnum):
    VIEWER = 1
    OPERATOR = 2
    ADMIN = 3

    @property
    def label(self) -> str:
        return self.name.lower()


def user_role(user: Any) -> Role | None:
    """The highest role the user holds, or None. Cached on the user object for the request."""
    if not user.is_authenticated or not user.is_active:
        return None
    if hasattr(user, "_fleetui_role"):
        return user._fleetui_role
    role: Role | None
    if user.is_superuser:
        role = Role.ADMIN
    else:
        names = {name.upper() for name in user.groups.values_list("name", flat=True)}
        held = [r for r in Role if r.name in names]
        role = max(held) if held else None
    user._fleetui_role = role
    return role


def has_role(user: Any, needed: Role) -> bool:
    role = user_role(user)
    return role is not None and role >= needed


def user_set_role(*, user: Any, role: Role | None) -> None:
    """Give `user` exactly one role. Admins are also staff and superusers, so Django admin works for them."""
    user.groups.remove(*Group.objects.filter(name__in=[r.label for r in Role]))
    if role is not None:
        user.groups.add(Group.objects.get_or_create(name=role.label)[0])
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["is_staff", "is_superuser"])
    user.__dict__.pop("_fleetui_role", None)


def role_required(role: Role) -> Callable[[F], F]:
    """Mark a view as needing `role`; RoleRequiredMiddleware enforces it."""

    def mark(view: F) -> F:
        view.required_role = role  # type: ignore[attr-defined]
        return view

    return mark


class _RolePermission(BasePermission):
    role = Role.VIEWER

    def has_permission(self, request: Any, view: Any) -> bool:
        return has_role(request.user, self.role)


class IsViewer(_RolePermission):
    role = Role.VIEWER


class IsOperator(_RolePermission):
    role = Role.OPERATOR
