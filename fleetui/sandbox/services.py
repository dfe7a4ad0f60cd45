"""Finds the service packages of fleetui.sandbox (the contract is in its `__init__.py`) and calls their hooks.

Importing this module imports no service package, so neither moto: the fault page (views.py) imports the
middleware, which imports this.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable
from types import ModuleType
from typing import Any

# Subpackages Django gives an app meaning to; every other subpackage of fleetui.sandbox is a service package.
_DJANGO_PACKAGES = frozenset({"management", "migrations", "templatetags"})


@functools.cache
def service_packages() -> tuple[ModuleType, ...]:
    """Every service package, imported, in hook order: by name, except that a package comes after those in its
    `AFTER`."""
    import fleetui.sandbox

    names = sorted(
        info.name
        for info in pkgutil.iter_modules(fleetui.sandbox.__path__)
        if info.ispkg and info.name not in _DJANGO_PACKAGES
    )
    packages = {name: importlib.import_module(f"fleetui.sandbox.{name}") for name in names}
    ordered: list[str] = []

    def place(name: str, waiting: tuple[str, ...]) -> None:
        if name in ordered:
            return
        if name in waiting:
            raise RuntimeError(f"sandbox services wait for each other: {' -> '.join((*waiting, name))}")
        if name not in packages:
            raise RuntimeError(f"sandbox service {waiting[-1]!r} comes AFTER {name!r}, which is no service package")
        for before in getattr(packages[name], "AFTER", ()):
            place(before, (*waiting, name))
        ordered.append(name)

    for name in names:
        place(name, ())
    return tuple(packages[name] for name in ordered)


def service_hooks(hook: str) -> list[Callable[..., Any]]:
    """The hook of that name of every service package that defines it, in hook order."""
    return [getattr(package, hook) for package in service_packages() if hasattr(package, hook)]


def install() -> None:
    """Install every service's extensions into moto; safe to call more than once."""
    for hook in service_hooks("install"):
        hook()
