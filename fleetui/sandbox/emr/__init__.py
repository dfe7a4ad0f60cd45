"""EMR in the sandbox: moto's EMR extended to behave like the real API (extensions.py, lifecycle.py: clusters that
start, run steps and terminate over FLEETUI_SANDBOX_EMR_DELAY, groups on real tagged EC2 instances that resize one
instance at a time, the auto-termination policy, EMR's validation errors), and the EMR part of the demo (seed.py)."""

from .extensions import config_reset as reset
from .extensions import control, install
from .seed import describe, seed

# Instance groups run EC2 instances, and the demo's ids (moto's seeded RNG) follow the order of calls: EC2 goes first.
AFTER = ("ec2",)

__all__ = ["AFTER", "control", "describe", "install", "reset", "seed"]
