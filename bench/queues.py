"""(f2) Click-to-started while a full sync runs, and (k) kill-to-resumed of an action whose worker is SIGKILLed.

(f2) The benchmark fleet (10,000 instances) is seeded into the sandbox and left unsynced, so the sync has all of it to
load. An actions worker (`-Q actions`) and a sync worker (`-Q sync`) start on Redis, as docker-compose runs them. The
same ec2.reboot actions as (f) are timed with nothing else to do (the idle figure), then again after
`inventory.sync_all` was sent the way beat sends it, while its scopes are queued and the fleet's instances scope runs.

(k) Two actions workers with the default FLEETUI_ACTION_HEARTBEAT (5 s) and FLEETUI_ACTION_STALE_AFTER (30 s). An
ec2.stop, slowed by DescribeInstances latency in the sandbox, is caught in its wait step, and the worker running it is
SIGKILLed, main process and children. The measure is from the kill to the other worker's takeover (the step log's
"lost; resuming" entry). No beat runs and Redis keeps the unacknowledged message for its 2 h visibility timeout, so
neither of them can be what resumes it.
"""

from __future__ import annotations

import os
import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .actions import STARTED_P95_TARGET_S, operator_user, started_latencies, worker_spawn, worker_stop
from .table import Row, median, p95

RESUME_SLACK_S = 10  # the target: kill-to-resumed <= FLEETUI_ACTION_STALE_AFTER + 10 s
LATENCY_MS = 3000  # DescribeInstances in the sandbox: the ec2.stop under (k) lasts long enough to be killed in
LOST = "The worker running this action was lost; resuming (delivery 2)."

Log = Callable[[str], None]


def _wait(condition: Callable[[], Any], what: str, timeout: float, logs: Path) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.05)
    tails = "\n".join(f"{log.name}:\n{log.read_text()[-2000:]}" for log in sorted(logs.glob("*.log")))
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}\n{tails}")


def busy_started(
    *, account: Any, region: str, instance_id: str, broker: str, count: int, logs: Path, log: Log
) -> tuple[list[float], list[float], str]:
    """Idle and busy click-to-started seconds, and what the sync was doing meanwhile."""
    import redis

    from fleetui.inventory.models import SyncRun
    from fleetui.inventory.tasks import sync_all_task

    client = redis.Redis.from_url(broker)
    client.flushdb()
    workers = [worker_spawn(broker=broker, log=logs / f"{q}.log", queues=q) for q in ("actions", "sync")]
    try:
        log(f"(f2) idle: {count} ec2.reboot actions on the actions worker")
        idle = started_latencies(
            account=account,
            region=region,
            instance_id=instance_id,
            count=count,
            warmup=2,
            worker_log=logs / "actions.log",
        )
        sync_all_task.delay()  # as beat sends it: the sync worker plans and queues every scope
        instances = SyncRun.objects.filter(account=account, region=region, resource_type="instances")
        _wait(lambda: instances.filter(status="running").exists(), "the fleet's sync to run", 300, logs)
        before = f"{client.llen('sync')} scope(s) queued and the instances scope running"
        log(f"(f2) busy: {before}; {count} ec2.reboot actions")
        busy = started_latencies(
            account=account,
            region=region,
            instance_id=instance_id,
            count=count,
            warmup=0,
            worker_log=logs / "actions.log",
        )
        run = instances.order_by("-started_at").first()
        after = f"the instances scope {run.status if run else 'missing'} ({run.seen if run else 0} seen so far)"
        return idle, busy, f"when the busy measure began: {before}; when it ended: {after}"
    finally:
        for worker in workers:
            worker_stop(worker)
        client.flushdb()


def kill_to_resumed(*, account: Any, region: str, endpoint: str, broker: str, logs: Path, log: Log) -> float:
    """Seconds from SIGKILLing the worker running an ec2.stop to the other worker's takeover, default settings."""
    import redis
    from django.conf import settings

    from fleetui.actions.models import Action
    from fleetui.actions.services import action_request
    from fleetui.inventory.sync import sync_ids
    from fleetui.sandbox.faults import fault_inject, faults_clear

    from .sandbox import ec2_client

    ec2 = ec2_client(endpoint, region)
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    image = next(i["ImageId"] for i in images if i.get("Architecture") == "x86_64" and i["State"] == "available")
    [target] = [
        i["InstanceId"]
        for i in ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)["Instances"]
    ]
    sync_ids(account=account, region=region, resource_type="instances", ids=[target])
    client = redis.Redis.from_url(broker)
    client.flushdb()
    pair = [
        worker_spawn(broker=broker, log=logs / f"k{n}.log", queues="actions", concurrency=1, loglevel="INFO")
        for n in (0, 1)
    ]
    try:
        for n in (0, 1):
            _wait(lambda n=n: " ready." in (logs / f"k{n}.log").read_text(), "both actions workers", 120, logs)
        fault_inject(endpoint=endpoint, action="DescribeInstances", latency_ms=LATENCY_MS)
        action = action_request(
            user=operator_user(), kind="ec2.stop", account=account, region=region, targets=[target], reason="bench"
        )
        row = Action.objects.filter(pk=action.pk)
        _wait(lambda: row.filter(status="running", step__istartswith="waiting").exists(), "the wait step", 120, logs)
        pid = int(row.get().owner.split("/")[0].rsplit(":", 1)[1])  # the pool child running it
        [running] = [w for w in pair if pid in _children(w.pid)]
        killed_at = time.time()
        os.killpg(running.pid, signal.SIGKILL)
        running.wait()
        log(f"(k) killed the worker running ec2.stop #{action.pk}; stale after {settings.FLEETUI_ACTION_STALE_AFTER} s")
        resumed = _wait(lambda: action.log.filter(message=LOST).first(), "the takeover", 180, logs)
        faults_clear(endpoint=endpoint)
        _wait(lambda: row.get().is_done, "the resumed action to finish", 120, logs)
        if row.get().status != "succeeded":
            raise RuntimeError(f"the resumed ec2.stop #{action.pk} ended {row.get().status}: {row.get().error}")
        return resumed.at.timestamp() - killed_at
    finally:
        faults_clear(endpoint=endpoint)
        for worker in pair:
            if worker.poll() is None:
                worker_stop(worker)
        client.flushdb()


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
    return found


def queues_measure(
    *, endpoint: str, region: str, broker: str, instances: int, count: int, log: Log = lambda _: None
) -> tuple[list[Row], list[str]]:
    """(f2) and (k) against the sandbox at `endpoint`; seeds `instances` instances there."""
    from django.conf import settings

    from fleetui.aws import clients_clear
    from fleetui.inventory.sync import sync_scope
    from fleetui.sandbox.ec2.seed import instances_bulk_seed

    from .sandbox import aws_env_use
    from .sync import account_default

    aws_env_use(endpoint)
    os.environ["FLEETUI_REGIONS"] = region  # the workers' full sync: every resource type of the fleet's region
    clients_clear()
    [target] = instances_bulk_seed(endpoint=endpoint, region=region, count=1)
    account = account_default()
    sync_scope(account=account, region=region, resource_type="instances")  # the reboots' target, and its region
    log(f"(f2) seeding {instances} instances, left for the queued sync to load")
    instances_bulk_seed(endpoint=endpoint, region=region, count=instances, seed=11)
    with tempfile.TemporaryDirectory(prefix="fleetui-bench-queues-") as folder:
        logs = Path(folder)
        idle, busy, context = busy_started(
            account=account, region=region, instance_id=target, broker=broker, count=count, logs=logs, log=log
        )
        resumed = kill_to_resumed(account=account, region=region, endpoint=endpoint, broker=broker, logs=logs, log=log)
    stale = settings.FLEETUI_ACTION_STALE_AFTER
    b95, i95 = p95(busy), p95(idle)
    rows = [
        Row(
            f"f2. click-to-started, full sync of {instances} instances queued and running: p95 (median); idle p95",
            f"{b95:.3f} s ({median(busy):.3f} s); idle {i95:.3f} s",
            f"p95 <= {STARTED_P95_TARGET_S:.0f} s",
            b95 <= STARTED_P95_TARGET_S,
        ),
        Row(
            f"f3. kill-to-resumed, main process SIGKILLed, default settings (stale after {stale} s)",
            f"{resumed:.1f} s",
            f"<= {stale + RESUME_SLACK_S} s",
            resumed <= stale + RESUME_SLACK_S,
        ),
    ]
    raw = [
        f"(f2) idle: {', '.join(f'{s:.3f}' for s in idle)} s",
        f"(f2) busy: {', '.join(f'{s:.3f}' for s in busy)} s; {context}",
        f"(k) SIGKILL -> the surviving worker's takeover: {resumed:.1f} s",
    ]
    return rows, raw
