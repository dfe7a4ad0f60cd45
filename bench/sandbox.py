"""The AWS sandbox the benchmark measures against: moto in its own process, seeded with N instances.

moto runs in a separate process so its CPU does not compete for the GIL with the code being
measured, and so the sync's peak RSS is the sync's alone.
"""

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parent.parent
READY = re.compile(r"sandbox ready on (http://\S+)")
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
}


@contextmanager
def sandbox_process(*, timeout: float = 60.0) -> Iterator[str]:
    """Start `manage.py sandbox --port 0 --no-seed` in a child process; yield its endpoint URL; stop it on exit."""
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "sandbox", "--port", "0", "--no-seed"],
        cwd=ROOT,
        env={**os.environ, **AWS_ENV},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield _wait_ready(proc, timeout)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_ready(proc: subprocess.Popen, timeout: float) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    for line in proc.stdout:
        seen.append(line)
        if match := READY.search(line):
            # Keep reading its output in the background, so a chatty server never blocks on a full pipe.
            _drain(proc)
            return match.group(1).rstrip("/")
        if time.monotonic() > deadline:
            break
    raise RuntimeError("The sandbox did not start:\n" + "".join(seen[-20:]))


def _drain(proc: subprocess.Popen) -> None:
    def read() -> None:
        for _line in proc.stdout or []:
            pass

    threading.Thread(target=read, daemon=True).start()


def aws_env_use(endpoint: str) -> None:
    """Point every boto3 client of this process (and of its children) at the sandbox."""
    os.environ.update(AWS_ENV, AWS_ENDPOINT_URL=endpoint)
    os.environ.pop("AWS_PROFILE", None)


def ec2_client(endpoint: str, region: str):
    # A long read timeout: the floor must finish, however slow the sandbox is, to be compared at all.
    config = Config(read_timeout=900, retries={"mode": "standard", "total_max_attempts": 1})
    return boto3.client("ec2", region_name=region, endpoint_url=endpoint, config=config)


def instances_seed(*, endpoint: str, region: str, count: int) -> None:
    """Seed `count` running instances (varied types, Name/Owner/Env tags) with the sandbox's bulk seeder."""
    from fleetui.sandbox.seed import instances_bulk_seed

    instances_bulk_seed(endpoint=endpoint, region=region, count=count)
