"""EKS in the sandbox: moto's EKS extended to behave like the real API (extensions.py: nodegroups on real Auto
Scaling groups and EC2 instances, scaling updates that take FLEETUI_SANDBOX_EKS_DELAY, DescribeUpdate, add-ons,
health issues), and the EKS part of the demo (seed.py)."""

from .extensions import config_reset as reset
from .extensions import control, install
from .seed import describe, seed

# Nodegroups run EC2 instances, and the demo's ids (moto's seeded RNG) follow the order of calls: EC2 goes first.
AFTER = ("ec2",)

__all__ = ["AFTER", "control", "describe", "install", "reset", "seed"]
