"""ECS in the sandbox: moto's ECS with a service scheduler (tasks that start and stop over a delay, deployments
that roll out or fail, service events) and its quirks fixed (extensions.py, state.py), and the ECS part of the
demo (seed.py)."""

from .extensions import config_reset as reset
from .extensions import control, install
from .seed import describe, seed

# Container instances are EC2 instances of the sandbox, and the demo's ids follow the order of calls: EC2 goes first.
AFTER = ("ec2",)

__all__ = ["AFTER", "control", "describe", "install", "reset", "seed"]
