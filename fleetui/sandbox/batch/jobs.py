"""Jobs in the sandbox: no Docker, no threads; a job's status moves with time, worked out when it is read.

A submitted job is SUBMITTED, and each `delay` later it takes the next step: PENDING, RUNNABLE, STARTING, RUNNING,
then its outcome (SUCCEEDED, exit code 0, unless the control path said FAILED). As on AWS:
- a PENDING job with `dependsOn` waits until its dependencies have SUCCEEDED, and FAILS when one of them failed
  ("Dependent Job failed");
- a RUNNABLE job starts only when its queue is ENABLED and one of the queue's compute environments is ENABLED (else
  it stays RUNNABLE, the symptom ops users look for);
- `startedAt` is when it went RUNNING, `stoppedAt` when it finished, with an attempt recorded;
- CancelJob fails a job that is SUBMITTED, PENDING or RUNNABLE with the given reason and does nothing to a later one;
  TerminateJob fails any unfinished job with the reason.
`POST /fleetui-sandbox/batch/jobs` (extensions.py) moves a job to a status now and may hold it there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from moto.batch.models import BatchBackend, Job, JobQueue

from .state import CONFIG, SETTLE_LOCK, client_error, now

SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING = "SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING"
SUCCEEDED, FAILED = "SUCCEEDED", "FAILED"
STEPS = (SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING)
FINAL = (SUCCEEDED, FAILED)
STATUSES = (*STEPS, *FINAL)
BEFORE_STARTING = (SUBMITTED, PENDING, RUNNABLE)
EXITED = "Essential container in task exited"


@dataclass
class JobClock:
    """When the job entered its status, the delay of each step, its outcome, and a status it is held at."""

    entered: datetime
    delay: float
    outcome: str = SUCCEEDED
    hold: str = ""


def clock_of(job: Job) -> JobClock | None:
    clock: JobClock | None = vars(job).get("fleetui_clock")
    return clock


def _status_get(job: Job) -> str | None:
    settle(job)
    status: str | None = vars(job).get("_status")
    return status


def _status_set(job: Job, value: str | None) -> None:
    vars(job)["_status"] = value


# Replaces moto's ManagedState.status on Job (install): the scheduler, not moto's tick counter, moves jobs.
STATUS_PROPERTY = property(_status_get, _status_set)


def _can_start(queue: JobQueue) -> bool:
    return queue.state == "ENABLED" and any(env.state == "ENABLED" for env in queue.environments)


def _dependencies(job: Job) -> str:
    """ "ok" when every dependency SUCCEEDED, "failed" when one failed, else "waiting"."""
    found = [job.all_jobs.get(dep.get("jobId", "")) for dep in job.depends_on or []]
    statuses = [dep.status if dep is not None else SUCCEEDED for dep in found]
    if any(status == FAILED for status in statuses):
        return "failed"
    return "ok" if all(status == SUCCEEDED for status in statuses) else "waiting"


def enter(job: Job, status: str, at: datetime, reason: str | None = None) -> None:
    """Put the job in `status` as of `at`, with what AWS records on the way (startedAt, stoppedAt, attempts)."""
    clock = clock_of(job)
    if clock is not None:
        clock.entered = at
    _status_set(job, status)
    if status == RUNNING:
        job.job_started_at = at
        job.log_stream_name = job._stream_name
        job._start_attempt()
    if status in FINAL:
        job.job_stopped = True
        job.job_stopped_at = at
        attempt = job.latest_attempt
        job.exit_code = None if attempt is None else (0 if status == SUCCEEDED else 1)
        job.job_stopped_reason = reason or (None if attempt is None else EXITED)
        if attempt is not None:
            attempt["container"]["exitCode"] = job.exit_code
            attempt["statusReason"] = job.job_stopped_reason
        job._stop_attempt()


def settle(job: Job) -> None:
    """Move the job through the statuses whose time has come (see the module docstring)."""
    clock = clock_of(job)
    if clock is None or vars(job).get("_status") in FINAL:
        return
    with SETTLE_LOCK:
        moment = now()
        while (status := vars(job).get("_status")) not in FINAL and status != clock.hold:
            due = clock.entered + timedelta(seconds=clock.delay)
            if moment < due:
                return
            if status == PENDING:
                waiting = _dependencies(job)
                if waiting == "failed":
                    enter(job, FAILED, due, "Dependent Job failed")
                    return
                if waiting == "waiting":
                    clock.entered = moment
                    return
            if status == RUNNABLE and not _can_start(job.job_queue):
                clock.entered = moment
                return
            following = clock.outcome if status == RUNNING else STEPS[STEPS.index(str(status)) + 1]
            enter(job, following, due)


def submit(
    backend: BatchBackend, job_name: str, job_def_id: str, job_queue: str, **params: Any
) -> tuple[str, str, str]:
    """SubmitJob: moto's checks and Job, never started (no thread, no Docker); SUBMITTED from now."""
    array_properties = params.pop("array_properties", None) or {}
    if not isinstance(job_name, str) or not job_name:
        raise client_error("jobName must be provided")
    job_def = backend.get_job_definition(job_def_id)
    if job_def is None:
        raise client_error(f"Job definition {job_def_id} does not exist")
    queue = backend.get_job_queue(job_queue)
    if queue is None:
        raise client_error(f"Job queue {job_queue} does not exist")
    if queue.state != "ENABLED":
        raise client_error(f"Job queue {queue.name} is DISABLED and does not accept jobs")
    job = _job(backend, job_name, job_def, queue, params, array_properties, None)
    if "size" in array_properties:
        job._child_jobs = [
            _job(backend, job_name, job_def, queue, params, {"index": index}, f"{job.job_id}:{index}")
            for index in range(int(array_properties["size"]))
        ]
    return job_name, job.job_id, job.arn


def _job(
    backend: BatchBackend,
    name: str,
    job_def: Any,
    queue: JobQueue,
    params: dict[str, Any],
    array_properties: dict[str, Any],
    provided_id: str | None,
) -> Job:
    job = Job(
        name,
        job_def,
        queue,
        backend,
        log_backend=backend.logs_backend,
        container_overrides=params.get("container_overrides"),
        eks_properties_override=params.get("eks_properties_override"),
        depends_on=params.get("depends_on"),
        all_jobs=backend._jobs,
        timeout=params.get("timeout"),
        array_properties=array_properties,
        parameters=params.get("parameters"),
        provided_job_id=provided_id,
        tags=params.get("tags") if provided_id is None else None,
    )
    moment = now()
    job.job_created_at = moment
    vars(job)["fleetui_clock"] = JobClock(moment, CONFIG.delay)
    _status_set(job, SUBMITTED)
    backend._jobs[job.job_id] = job
    return job


def _reason(reason: Any, verb: str) -> str:
    if not isinstance(reason, str) or not reason:
        raise client_error(f"'reason' is a required field for {verb} (cannot be an empty string)")
    return reason


def _job_get(backend: BatchBackend, job_id: Any) -> Job | None:
    if not isinstance(job_id, str) or not job_id:
        raise client_error("'jobId' is a required field (cannot be an empty string)")
    return backend.get_job_by_id(job_id)


def cancel(backend: BatchBackend, job_id: str, reason: str) -> None:
    """CancelJob: a job not yet STARTING fails with `reason`; a later or unknown one is left as it is."""
    job = _job_get(backend, job_id)
    reason = _reason(reason, "CancelJob")
    if job is None:
        return
    with SETTLE_LOCK:
        if job.status in BEFORE_STARTING:
            enter(job, FAILED, now(), reason)


def terminate(backend: BatchBackend, job_id: str, reason: str) -> None:
    """TerminateJob: any unfinished job fails with `reason` (a RUNNING one's container is stopped)."""
    job = _job_get(backend, job_id)
    reason = _reason(reason, "TerminateJob")
    if job is None:
        return
    with SETTLE_LOCK:
        if job.status not in FINAL:
            enter(job, FAILED, now(), reason)


def control(job: Job, status: str, hold: bool, reason: str | None) -> None:
    """Move `job` to `status` now; `hold` keeps it there (until the next control call), a final one ends it."""
    if status not in STATUSES:
        raise ValueError(f"'status' must be one of {list(STATUSES)}")
    clock = clock_of(job)
    if clock is None:
        raise ValueError("that job was not submitted through the sandbox's scheduler")
    with SETTLE_LOCK:
        if status in FINAL:
            clock.outcome = status
            clock.hold = ""
            if job.status not in FINAL:
                if job.status != RUNNING and status == SUCCEEDED:
                    enter(job, RUNNING, now())
                enter(job, status, now(), reason)
            return
        clock.hold = status if hold else ""
        if job.status in FINAL:
            raise ValueError(f"job {job.job_id} has finished ({job.status})")
        if status == RUNNING and job.latest_attempt is None:
            enter(job, RUNNING, now())
        else:
            enter(job, status, now())


def outcome_set(job: Job, outcome: str) -> None:
    clock = clock_of(job)
    if clock is not None:
        clock.outcome = outcome
