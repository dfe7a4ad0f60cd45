"""AWS Batch in the sandbox: moto's Batch without Docker, with compute environments whose statuses and EC2
instances follow their vCPUs over FLEETUI_SANDBOX_BATCH_DELAY (environments.py), jobs that move through their
statuses with time (jobs.py), the control paths (extensions.py) and the Batch part of the demo (seed.py)."""

from .extensions import config_reset as reset
from .extensions import control, install
from .seed import describe, seed

# Compute environments run EC2 instances, and the demo's ids (moto's seeded RNG) follow the order of calls: EC2 goes
# first, and Beanstalk too ("batch" sorts before it), so the services seeded before Batch existed keep their ids.
AFTER = ("ec2", "beanstalk")

__all__ = ["AFTER", "control", "describe", "install", "reset", "seed"]
