"""A service's own measures: each module here declares `NAME` (its `--only` word), `HELP` and
`measure(*, endpoint, region, repeat, log) -> (rows, raw lines)`, run against a fresh sandbox process of its own.

A service adds a module; `python -m bench` finds it, so the harness names no service.
"""

import importlib
import pkgutil
from collections.abc import Callable
from types import ModuleType
from typing import Any

Measure = Callable[..., tuple[list[Any], list[str]]]


def service_measures() -> list[ModuleType]:
    """Every module of this package, by name."""
    return [importlib.import_module(f"{__name__}.{info.name}") for info in sorted(pkgutil.iter_modules(__path__))]
