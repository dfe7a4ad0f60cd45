"""The AWS sandbox the benchmark measures against: moto in its own process, seeded with N instances.

moto runs in a separate process so its CPU does not compete for the GIL with the code being
measured, and so the sync's peak RSS is the sync's alone. It is started and stopped like the demo's
sandbox, by fleetui.sandbox.children.
"""

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
from botocore.config import Config

from fleetui.sandbox.children import Child
from fleetui.sandbox.server import READY, client_env

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def sandbox_process(*, timeout: float = 60.0) -> Iterator[str]:
    """Start `manage.py sandbox --port 0 --no-seed` in a child process; yield its endpoint URL; stop it on exit."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    argv = [sys.executable, str(ROOT / "manage.py"), "sandbox", "--port", "0", "--no-seed"]
    with tempfile.TemporaryDirectory(prefix="fleetui-bench-") as logs:
        child = Child(name="sandbox", argv=argv, env=env, log_path=Path(logs) / "sandbox.log", cwd=ROOT)
        try:
            yield child.wait_for(READY, timeout=timeout).group(1).rstrip("/")
        finally:
            child.stop()


def aws_env_use(endpoint: str) -> None:
    """Point every boto3 client of this process (and of its children) at the sandbox."""
    os.environ.update(client_env(endpoint))
    os.environ.pop("AWS_PROFILE", None)


def ec2_client(endpoint: str, region: str):
    # A long read timeout: the floor must finish, however slow the sandbox is, to be compared at all.
    config = Config(read_timeout=900, retries={"mode": "standard", "total_max_attempts": 1})
    return boto3.client("ec2", region_name=region, endpoint_url=endpoint, config=config)


def instances_seed(*, endpoint: str, region: str, count: int) -> None:
    """Seed `count` running instances (varied types, Name/Owner/Env tags) with the sandbox's bulk seeder."""
    from fleetui.sandbox.ec2.seed import instances_bulk_seed

    instances_bulk_seed(endpoint=endpoint, region=region, count=count)
