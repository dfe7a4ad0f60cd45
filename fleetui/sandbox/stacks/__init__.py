"""CloudFormation in the sandbox: moto's CloudFormation with the SAM transform expanded into real Lambda functions,
IAM roles and API Gateway REST APIs (sam.py), drift detection over FLEETUI_SANDBOX_STACKS_DELAY (drift.py), what the
API carries that moto leaves out (extensions.py), and the CloudFormation part of the demo (seed.py)."""

from .extensions import config_reset as reset
from .extensions import control, install
from .seed import describe, seed

__all__ = ["control", "describe", "install", "reset", "seed"]
