"""fleetui's Batch for the sandbox: moto 5.2.5's Batch without Docker, with time that passes (environments.py,
jobs.py).

`install()` turns moto's Docker use off (its own switch, `default_user_config["batch"]["use_docker"]`, the one
`POST /moto-api/config {"batch": {"use_docker": false}}` sets) and routes every Batch request to the plain backend
with the scheduler's methods, so no job ever starts a thread or a container, whatever that switch says later.

Control API (JSON, on the sandbox server; middleware.py asks `control` for the handler):
- `GET /fleetui-sandbox/batch` -> `{"delay": 3.0}`; `POST /fleetui-sandbox/batch` `{"delay": 0.2}` sets the seconds
  each step takes from now on: a job's move to its next status, a compute environment's create or update.
- `POST /fleetui-sandbox/batch/jobs` `{"account_id": "123456789012", "region": "us-east-1", "job_id": "...",
  "status": "RUNNING", "hold": true, "reason": "..."}` moves a job to a status now; `hold` keeps it there until
  the next such call; SUCCEEDED or FAILED end it (with `reason` as its statusReason).
- `POST /moto-api/reset` resets the delay to its default (FLEETUI_SANDBOX_BATCH_DELAY, else 3.0 s).
"""

from __future__ import annotations

from typing import Any

from moto.batch.models import BatchBackend, Job, batch_backends
from moto.batch.responses import BatchResponse
from moto.core.config import default_user_config

from ..middleware import CONTROL_PREFIX, ControlHandler
from . import environments, jobs
from .state import CONFIG, default_delay

CONTROL_PATH = CONTROL_PREFIX + "batch"
JOBS_PATH = CONTROL_PATH + "/jobs"


def _backend(self: BatchResponse) -> BatchBackend:
    return batch_backends[self.current_account][self.region]


def _list_jobs(self: BatchBackend, *args: Any, **kwargs: Any) -> list[Job]:
    """ListJobs, newest first as AWS lists them (moto lists in submission order)."""
    found: list[Job] = _LIST_JOBS(self, *args, **kwargs)
    return sorted(found, key=lambda job: job.job_created_at, reverse=True)


_LIST_JOBS = BatchBackend.list_jobs


def install() -> None:
    """Patch moto's Batch; safe to call again."""
    default_user_config["batch"] = {"use_docker": False}
    BatchResponse.batch_backend = property(_backend)  # type: ignore[method-assign,assignment]
    for name in ("create_compute_environment", "update_compute_environment", "describe_compute_environments"):
        environments._ORIGINAL.setdefault(name, getattr(BatchBackend, name))
    patches = {
        "create_compute_environment": environments.create,
        "update_compute_environment": environments.update,
        "describe_compute_environments": environments.describe,
        "submit_job": jobs.submit,
        "cancel_job": jobs.cancel,
        "terminate_job": jobs.terminate,
        "list_jobs": _list_jobs,
    }
    for name, method in patches.items():
        setattr(BatchBackend, name, method)
    Job.status = jobs.STATUS_PROPERTY  # type: ignore[assignment]


def config_get() -> dict[str, Any]:
    return {"delay": CONFIG.delay}


def config_set(data: dict[str, Any]) -> dict[str, Any]:
    """Apply `{"delay": seconds}`; raises ValueError (answered 400) on anything else."""
    unknown = set(data) - {"delay"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if "delay" in data:
        delay = float(data["delay"])
        if delay < 0:
            raise ValueError("'delay' must be >= 0")
        CONFIG.delay = delay
    return config_get()


def config_reset() -> None:
    """Back to the defaults; called on `POST /moto-api/reset`."""
    CONFIG.delay = default_delay()


def job_set(data: dict[str, Any]) -> dict[str, Any]:
    """Move one job (see the module docstring); raises ValueError (answered 400) on a bad request."""
    unknown = set(data) - {"account_id", "region", "job_id", "status", "hold", "reason"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    backend = batch_backends[str(data.get("account_id", ""))][str(data.get("region", ""))]
    job = backend.get_job_by_id(str(data.get("job_id", "")))
    if job is None:
        raise ValueError(f"no job {data.get('job_id')!r} in that account and region")
    jobs.control(job, str(data.get("status", "")), bool(data.get("hold", False)), data.get("reason"))
    return {"job_id": job.job_id, "status": job.status}


def control(path: str, method: str) -> ControlHandler | None:
    """The service hook: the JSON handler for one of Batch's control paths and an HTTP method, else None."""
    if path == JOBS_PATH and method == "POST":
        return job_set
    if path != CONTROL_PATH:
        return None
    if method == "POST":
        return config_set
    return lambda _data: config_get()
