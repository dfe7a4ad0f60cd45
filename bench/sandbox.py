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


def _sandbox_command(stock: bool) -> list[str]:
    """The sandbox with fleetui's extensions; `stock` is exactly `manage.py sandbox --no-seed`."""
    if stock:
        return [sys.executable, str(ROOT / "manage.py"), "sandbox", "--port", "0", "--no-seed"]
    return [sys.executable, "-m", "bench.moto_process", "--port", "0"]


@contextmanager
def sandbox_process(*, stock: bool = False, timeout: float = 60.0) -> Iterator[str]:
    """Start the sandbox in a child process; yield its endpoint URL; stop the child on exit.

    By default it is `bench.moto_process`: the same server and extensions as `manage.py sandbox`, plus
    the benchmark's fix of moto's quadratic tag lookup (see bench/moto_speed.py).
    """
    proc = subprocess.Popen(
        _sandbox_command(stock),
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
    """Seed `count` instances: the sandbox's bulk seeder when it exists, else plain batched RunInstances."""
    try:
        from fleetui.sandbox.seed import instances_bulk_seed
    except ImportError:
        _instances_seed_batched(endpoint=endpoint, region=region, count=count)
    else:
        instances_bulk_seed(endpoint=endpoint, region=region, count=count)


SEED_TYPES = ["t3.micro", "t3.large", "m5.large", "m5.xlarge", "c5.large", "c5.2xlarge", "r5.large", "i3.large"]


def _instances_seed_batched(*, endpoint: str, region: str, count: int, batch: int = 250) -> None:
    """RunInstances in batches, with varied types and tags (some without Owner), like a real fleet."""
    ec2 = ec2_client(endpoint, region)
    image_id = ec2.describe_images(Owners=["amazon"], MaxResults=5)["Images"][0]["ImageId"]
    done = 0
    while done < count:
        n = min(batch, count - done)
        number = done // batch
        tags = [{"Key": "Name", "Value": f"bench-{number}"}, {"Key": "Env", "Value": ["prod", "dev"][number % 2]}]
        if number % 3:
            tags.append({"Key": "Owner", "Value": f"team-{number % 7}"})
        ec2.run_instances(
            ImageId=image_id,
            MinCount=n,
            MaxCount=n,
            InstanceType=SEED_TYPES[number % len(SEED_TYPES)],
            TagSpecifications=[{"ResourceType": "instance", "Tags": tags}],
        )
        done += n
