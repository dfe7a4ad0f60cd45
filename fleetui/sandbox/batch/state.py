"""Batch state the sandbox keeps on top of moto's backend: the delay, and the clocks of environments and jobs.

moto 5.2.5's Batch runs each job in a Docker container on a thread of its own (or, with `use_docker` off, marks it
SUCCEEDED at once), answers every compute environment VALID, and ignores UpdateComputeEnvironment's computeResources.
Here a compute environment's operation (create, update) and a job's progress are clocks kept on moto's objects and
worked out lazily when the object is next read (`environments.settle`, `jobs.settle`): no threads, so no races with
moto's reset, and `POST /moto-api/reset` forgets everything with moto's objects.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import datetime

from moto.batch.exceptions import ClientException

DELAY_ENV_VAR = "FLEETUI_SANDBOX_BATCH_DELAY"
DEFAULT_DELAY = 3.0
SETTLE_LOCK = threading.RLock()


def default_delay() -> float:
    """Seconds one step takes (a job's status, an environment's update), from FLEETUI_SANDBOX_BATCH_DELAY."""
    return float(os.environ.get(DELAY_ENV_VAR) or DEFAULT_DELAY)


@dataclass
class BatchConfig:
    delay: float = field(default_factory=default_delay)


CONFIG = BatchConfig()


def client_error(message: str) -> ClientException:
    """Batch's answer to a bad request: ClientException, HTTP 400, with AWS's message."""
    return ClientException(message)


def now() -> datetime:
    """Local naive time, as moto's Batch keeps its jobs' times (it converts them with `datetime.timestamp()`)."""
    return datetime.now()
