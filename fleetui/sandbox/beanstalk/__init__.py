"""Elastic Beanstalk in the sandbox: moto's EB extended to behave like the real API, with delay and health
controls (extensions.py), and the Beanstalk part of the demo (seed.py)."""

from .extensions import config_reset as reset
from .extensions import control, install
from .seed import describe, seed

# Environments run EC2 instances, and the demo's ids (moto's seeded RNG) follow the order of calls: EC2 goes first.
AFTER = ("ec2",)

__all__ = ["AFTER", "control", "describe", "install", "reset", "seed"]
