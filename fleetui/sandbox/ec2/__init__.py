"""EC2 in the sandbox: moto's EC2 extended with what fleetui's inventory and actions need (extensions.py: placement
groups, paging, idempotent launches, EC2's state rules, ...), the backdate control path and the demo fleet."""

from .backdate import control
from .extensions import install
from .seed import describe, seed

__all__ = ["control", "describe", "install", "seed"]
