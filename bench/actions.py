"""(f) Click-to-started latency and (g) progress-to-page delay of actions, with a real worker on Redis.

(f) Each request goes through `services.action_request` (validate, write the row, enqueue on commit) to a
real `celery worker` process on the Redis broker; the measure is the row's `started_at` (written by the
worker's claim) minus the wall time just before the request. The kind is ec2.reboot on one sandbox
instance: the cheapest real kind, so the time is the engine's and the broker's, not AWS's.

(g) A bench-only inline kind writes its progress with `ActionContext.progress` (as every operation does)
at random moments, while this process polls the action page's htmx partial the way the page does (GET
with HX-Request every 1 s, on a fixed cadence like htmx's `every 1s`). The measure is the time from a
write to the first response that shows the new value.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .table import Row, median, p95

STARTED_P95_TARGET_S = 1.0
PROGRESS_P95_TARGET_S = 2.0
POLL_EVERY_S = 1.0  # templates/actions/action_detail.html: hx-trigger="every 1s"
DEFAULT_BROKER = "redis://127.0.0.1:6379/5"
ROOT = Path(__file__).resolve().parent.parent
PROGRESS_SHOWN = re.compile(r'id="action-progress">(\d+)%')

Log = Callable[[str], None]


def worker_spawn(
    *,
    broker: str,
    log: Path,
    concurrency: int = 2,
    queues: str = "",
    loglevel: str = "WARNING",
    settings_module: str = "bench.settings",
) -> subprocess.Popen:
    """Start a `celery -A fleetui worker --pool=prefork` on `broker` (only `queues`, comma-separated, if given) with
    this process's database and AWS environment, in a session of its own (so its whole group can be killed)."""
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "CELERY_BROKER_URL": broker,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
        + db["NAME"],
    }
    argv = [sys.executable, "-m", "celery", "-A", "fleetui", "worker", "--pool=prefork"]
    argv += [f"--concurrency={concurrency}", f"--loglevel={loglevel}", "--without-gossip", "--without-mingle"]
    argv += ["--without-heartbeat", "-n", f"bench-{uuid.uuid4().hex[:8]}@%h"]
    argv += [f"--queues={queues}"] if queues else []
    with log.open("a") as out:
        return subprocess.Popen(argv, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def worker_stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def worker_process(
    *, broker: str, concurrency: int = 2, queues: str = "", settings_module: str = "bench.settings"
) -> Iterator[Path]:
    """A worker (`worker_spawn`) for the time of the block. The broker's db is flushed before and after, so no
    earlier run's message is consumed. Yields the log path.
    """
    import redis

    client = redis.Redis.from_url(broker)
    client.flushdb()
    with tempfile.TemporaryDirectory(prefix="fleetui-bench-worker-") as logs:
        log = Path(logs) / "worker.log"
        process = worker_spawn(
            broker=broker, log=log, concurrency=concurrency, queues=queues, settings_module=settings_module
        )
        try:
            yield log
        finally:
            worker_stop(process)
            client.flushdb()


def operator_user() -> Any:
    from django.contrib.auth import get_user_model

    from fleetui.core.roles import Role, user_set_role

    user, _ = get_user_model().objects.get_or_create(username="bench-operator")
    user_set_role(user=user, role=Role.OPERATOR)
    return user


def _wait_done(action_id: int, *, timeout: float, worker_log: Path) -> Any:
    from fleetui.actions.models import Action

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        action = Action.objects.get(pk=action_id)
        if action.is_done:
            return action
        time.sleep(0.02)
    row = Action.objects.filter(pk=action_id).values("status", "step", "owner", "deliveries").first()
    raise RuntimeError(
        f"action {action_id} did not finish in {timeout:.0f} s ({row}); worker log:\n{worker_log.read_text()[-3000:]}"
    )


def started_latencies(
    *, account: Any, region: str, instance_id: str, count: int, warmup: int, worker_log: Path
) -> list[float]:
    """Request `warmup` + `count` ec2.reboot actions one after the other; returns the timed ones' seconds to start.

    Raises RuntimeError when an action fails or was not run by a worker process (the broker is not real).
    """
    from fleetui.actions.services import action_request

    user = operator_user()
    seconds: list[float] = []
    for n in range(warmup + count):
        clicked = time.time()
        action = action_request(
            user=user, kind="ec2.reboot", account=account, region=region, targets=[instance_id], reason="bench"
        )
        done = _wait_done(action.pk, timeout=120 if n < warmup else 30, worker_log=worker_log)
        if done.status != "succeeded":
            raise RuntimeError(f"bench action #{done.pk} {done.status}: {done.error}")
        if done.owner.split("/")[0].endswith(f":{os.getpid()}"):
            raise RuntimeError("the action ran in the benchmark's own process: Celery is eager, not on a broker")
        if n >= warmup:
            seconds.append(done.started_at.timestamp() - clicked)
    return seconds


@dataclass
class ProgressPlan:
    """What the bench-only writer does: each value at a random moment, then waits until the page showed it."""

    values: list[int]
    gap: tuple[float, float] = (1.1, 1.7)
    seed: int = 3
    action_id: int | None = None
    started: threading.Event = field(default_factory=threading.Event)
    all_seen: threading.Event = field(default_factory=threading.Event)
    written: dict[int, float] = field(default_factory=dict)


def progress_writer_kind(plan: ProgressPlan) -> Any:
    """An inline operation (registered only in this process) that writes `plan.values` as its progress."""
    from fleetui.actions.registry import Operation

    class ProgressWriter(Operation):
        kind, label, verb = "bench.progress", "Benchmark progress writer", "Run"
        target_type, min_targets, inline = "", 0, True

        def run(self, ctx: Any) -> None:
            plan.action_id = ctx.action.pk
            ctx.step("Writing progress at random moments", progress=0)
            plan.started.set()
            rng = random.Random(plan.seed)
            for value in plan.values:
                time.sleep(rng.uniform(*plan.gap))
                plan.written[value] = time.monotonic()  # just before the UPDATE (autocommit): the delay includes it
                ctx.progress(value)
            plan.all_seen.wait(timeout=30)

    return ProgressWriter()


def progress_delays(*, account: Any, region: str, values: list[int]) -> list[float]:
    """Run the writer in a thread and poll its action's partial every second; returns write -> shown seconds."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from fleetui.actions.registry import OPERATIONS
    from fleetui.actions.services import action_request

    plan = ProgressPlan(values=values)
    op = progress_writer_kind(plan)
    OPERATIONS[op.kind] = op
    user = operator_user()
    errors: list[BaseException] = []

    def request() -> None:
        try:
            action_request(user=user, kind=op.kind, account=account, region=region, reason="bench")
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            plan.started.set()
            connection.close()

    writer = threading.Thread(target=request, name="bench-progress-writer")
    writer.start()
    try:
        plan.started.wait(timeout=30)
        if errors or plan.action_id is None:
            raise RuntimeError(f"the progress writer did not start: {errors}")
        client = Client()
        client.force_login(user)
        seen = _poll(client, reverse("actions:detail", args=[plan.action_id]), plan)
    finally:
        plan.all_seen.set()
        writer.join(timeout=60)
        del OPERATIONS[op.kind]
    if errors:
        raise RuntimeError(f"the progress writer failed: {errors[0]!r}")
    return [seen[value] - plan.written[value] for value in values]


def _poll(client: Any, url: str, plan: ProgressPlan) -> dict[int, float]:
    """GET `url` as htmx does every POLL_EVERY_S until every value was shown; returns {value: monotonic shown}."""
    seen: dict[int, float] = {}
    deadline = time.monotonic() + len(plan.values) * (plan.gap[1] + POLL_EVERY_S) + 30
    tick = time.monotonic()
    while len(seen) < len(plan.values):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the page never showed progress {sorted(set(plan.values) - set(seen))}")
        response = client.get(url, HTTP_HX_REQUEST="true")
        answered = time.monotonic()
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        shown = PROGRESS_SHOWN.search(response.content.decode())
        # Values only grow: a response showing v also answers for any earlier value the polls missed.
        for value in plan.values:
            if shown and value <= int(shown.group(1)) and value in plan.written:
                seen.setdefault(value, answered)
        tick += POLL_EVERY_S
        time.sleep(max(0.0, tick - time.monotonic()))
    plan.all_seen.set()
    return seen


def actions_measure(
    *, endpoint: str, region: str, broker: str, count: int, updates: int, log: Log = lambda _: None
) -> tuple[list[Row], list[str]]:
    """Start a worker on `broker`, then (f) `count` click-to-started latencies and (g) `updates` progress delays.

    The sandbox at `endpoint` gets one instance (synced into the inventory) for ec2.reboot to act on.
    """
    from fleetui.aws import clients_clear
    from fleetui.ec2.models import Instance
    from fleetui.inventory.sync import sync_scope
    from fleetui.sandbox.ec2.seed import instances_bulk_seed

    from .sandbox import aws_env_use
    from .sync import account_default

    aws_env_use(endpoint)
    clients_clear()  # sessions cached by an earlier measure point at an earlier sandbox
    [instance_id] = instances_bulk_seed(endpoint=endpoint, region=region, count=1)
    account = account_default()
    sync_scope(account=account, region=region, resource_type="instances")
    if not Instance.objects.filter(account=account, region=region, instance_id=instance_id, state="running").exists():
        raise RuntimeError(f"the seeded instance {instance_id} is not in the inventory after the sync")
    log(f"(f) worker on {broker}: {count} ec2.reboot actions, one after the other")
    with worker_process(broker=broker) as worker_log:
        started = started_latencies(
            account=account, region=region, instance_id=instance_id, count=count, warmup=2, worker_log=worker_log
        )
    log(f"(g) {updates} progress updates while the action page polls every {POLL_EVERY_S:.0f} s")
    values = [round(100 * (n + 1) / updates) for n in range(updates)]
    delays = progress_delays(account=account, region=region, values=values)
    return _rows(started, delays)


def _rows(started: list[float], delays: list[float]) -> tuple[list[Row], list[str]]:
    s95, d95 = p95(started), p95(delays)
    rows = [
        Row(
            f"f. click-to-started, ec2.reboot via Redis + worker: p95 (median), {len(started)} actions",
            f"{s95:.3f} s ({median(started):.3f} s)",
            f"p95 <= {STARTED_P95_TARGET_S:.0f} s",
            s95 <= STARTED_P95_TARGET_S,
        ),
        Row(
            f"g. progress write -> shown on the action page (polls 1/s): p95 (median), {len(delays)} updates",
            f"{d95:.3f} s ({median(delays):.3f} s)",
            f"p95 <= {PROGRESS_P95_TARGET_S:.0f} s",
            d95 <= PROGRESS_P95_TARGET_S,
        ),
    ]
    raw = [
        f"(f) request -> started_at: {', '.join(f'{s:.3f}' for s in started)} s; max {max(started):.3f} s",
        f"(g) progress write -> first response showing it: {', '.join(f'{d:.3f}' for d in delays)} s;"
        f" max {max(delays):.3f} s",
    ]
    return rows, raw
