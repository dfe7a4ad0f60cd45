"""Lambda in the sandbox: moto's Lambda without Docker, with configuration updates that stay InProgress for
FLEETUI_SANDBOX_LAMBDA_DELAY, GetAccountSettings, AWS's unreserved-concurrency floor and a function's VPC taken from
its subnets (extensions.py), and the Lambda part of the demo (seed.py)."""

from .extensions import config_reset as reset
from .extensions import control, install
from .seed import describe, seed

# Functions in a VPC use the demo's subnets and security groups, and the demo's ids (moto's seeded RNG) follow the
# order of calls: EC2 goes first ("lambda_" sorts after every service package seeded before it anyway).
AFTER = ("ec2",)

__all__ = ["AFTER", "control", "describe", "install", "reset", "seed"]
