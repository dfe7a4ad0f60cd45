"""A real prefork worker on Redis is SIGKILLed mid-action; the action still completes exactly once.

Eager mode and unit tests cannot show what the broker and the worker's processes really do when one
dies, so these tests start `celery worker --pool=prefork --concurrency=1` against the pytest database
and the moto sandbox, slow DescribeInstances down so the action is caught in its wait step, and kill:

- the pool child: the worker's main process sees the child die and requeues the message
  (task_reject_on_worker_lost); the next child finds a fresh heartbeat (Busy), retries after
  FLEETUI_ACTION_STALE_AFTER and takes the action over;
- the main process and its child: a surviving worker, or one that starts, hands the action off and re-sends it
  as soon as its heartbeat is stale (fleetui.actions.watch), though Redis would keep the unacknowledged message
  for an hour; with no worker left, beat's actions.recover does; with a short FLEETUI_VISIBILITY_TIMEOUT, Redis
  hands the message to the next worker.

Each time the action succeeds with deliveries == 2, the log says the worker was lost, and AWS holds
exactly what one run would have made. A last test kills every delivery and checks the redelivery cap.
These tests fail (never skip) when Redis is missing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import pytest
import redis
from django.conf import settings
from django.db import connection

from fleetui.actions import services
from fleetui.actions.engine import HANDED_OFF
from fleetui.actions.models import Action
from fleetui.actions.tasks import recover_actions
from fleetui.ec2.models import Instance
from fleetui.ec2.operations import launch  # noqa: F401  registers ec2.launch
from fleetui.inventory.sync import sync_scope
from fleetui.sandbox.faults import fault_inject, faults_clear
from tests.redis_dbs import ACTIONS_WORKER, redis_url, task_sender

from .conftest import REGION, state_of

T = TypeVar("T")

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BROKER = redis_url(ACTIONS_WORKER)  # this module's own Redis db (tests/redis_dbs.py)
TIMEOUT = 90
LATENCY_MS = 2500  # each DescribeInstances takes this long: the wait step lasts long enough to be killed in
VISIBILITY_TIMEOUT = 5
HOUR_VISIBILITY = {"FLEETUI_VISIBILITY_TIMEOUT": "3600"}  # Redis keeps an unacknowledged message for an hour
STALE_AFTER = 3
LAUNCH_MODULE = "fleetui.ec2.operations.launch"  # registers ec2.launch (also imported below)
LOST = "The worker running this action was lost; resuming (delivery 2)."
WORKER_ENV = {
    "CELERY_BROKER_URL": BROKER,
    "DJANGO_SETTINGS_MODULE": "fleetui.settings.worker_test",
    "FLEETUI_REGIONS": REGION,
    "FLEETUI_ACTION_HEARTBEAT": "1",
    "FLEETUI_ACTION_STALE_AFTER": str(STALE_AFTER),
    "FLEETUI_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    "FLEETUI_ACTION_POLL_INTERVAL": "0.2",
}


class Worker:
    """One `celery worker --pool=prefork --concurrency=1` in its own process group, logging to `log`."""

    def __init__(self, log: Path, extra_env: dict[str, str], queues: str = "") -> None:
        self.log = log
        env = {
            **os.environ,  # the sandbox's AWS_ENDPOINT_URL and keys (the `aws` fixture)
            **WORKER_ENV,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{connection.settings_dict['NAME']}",
            **extra_env,
        }
        command = [sys.executable, "-m", "celery", "-A", "fleetui", "worker", "--pool=prefork", "--concurrency=1"]
        command += ["--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["-n", f"crash-{uuid.uuid4().hex[:8]}@%h", "--include", LAUNCH_MODULE]
        command += [f"--queues={queues}"] if queues else []  # production's actions-worker: -Q actions
        with log.open("a") as out:
            # A session of its own: killing the process group takes billiard's children with the main process.
            self.process = subprocess.Popen(
                command, env=env, cwd=settings.BASE_DIR, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    @property
    def pid(self) -> int:
        return self.process.pid

    def children(self) -> list[int]:
        """The pool's child pids, read from /proc (psutil is not a dependency)."""
        found: list[int] = []
        for task in Path(f"/proc/{self.pid}/task").glob("*"):
            try:
                found += [int(pid) for pid in (task / "children").read_text().split()]
            except FileNotFoundError:  # the thread ended while we looked
                continue
        return found

    def tail(self) -> str:
        return self.log.read_text()[-4000:]

    def ready(self) -> bool:
        return " ready." in self.log.read_text()

    def kill_all(self) -> None:
        """SIGKILL the main process and every child: nothing gets to ack, requeue or clean up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill_all()
        else:  # the main process is gone; make sure no orphaned child is left
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(BROKER)
    client.ping()  # no Redis: the test fails here
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture
def workers(aws, broker, tmp_path) -> Iterator[Callable[..., Worker]]:
    """`workers(**env)` starts a worker on this module's Redis db against the test database and the sandbox."""
    started: list[Worker] = []

    def start(queues: str = "", **extra_env: str) -> Worker:
        started.append(Worker(tmp_path / f"worker-{len(started)}.log", extra_env, queues))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def request_action(operator, account, monkeypatch) -> Iterator[Callable[..., Action]]:
    """`request_action(kind, targets, params)`: the real service, with its task sent through Redis.

    The test process runs Celery eagerly (test settings), so the enqueue step is pointed at the broker
    the worker reads, with the action's own task id, as `action_enqueue` does in production.
    """
    sender = task_sender("crash-test-sender", BROKER)

    def enqueue(action: Action) -> None:
        sender.send_task("actions.run", args=[action.pk], task_id=action.task_id)

    monkeypatch.setattr(services, "action_enqueue", enqueue)

    def make(kind: str, targets: Sequence[str] = (), params: dict | None = None) -> Action:
        return services.action_request(
            user=operator, kind=kind, account=account, region=REGION, targets=targets, params=params, reason="crash"
        )

    yield make
    sender.close()


def wait_for(condition: Callable[[], T], what: str, worker: Worker | None, timeout: float = TIMEOUT) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := condition():
            return found
        if worker is not None:
            assert worker.process.poll() is None, f"the worker died:\n{worker.tail()}"
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{worker.tail() if worker else ''}")


def caught_waiting(action: Action, worker: Worker) -> None:
    """Wait until the action is running its wait step: the AWS call is made, the outcome not yet recorded."""

    def waiting() -> bool:
        row = Action.objects.filter(pk=action.pk).values("status", "step").get()
        return row["status"] == "running" and row["step"].lower().startswith("waiting")

    wait_for(waiting, "the action's wait step", worker)


def finished(action: Action, worker: Worker) -> Action:
    wait_for(lambda: Action.objects.get(pk=action.pk).is_done, "the action to finish", worker)
    faults_clear(endpoint=os.environ["AWS_ENDPOINT_URL"])  # the asserts below read the sandbox at full speed
    action.refresh_from_db()
    return action


def messages(action: Action) -> list[str]:
    return list(action.log.order_by("pk").values_list("message", flat=True))


def assert_ran_once_after_one_loss(action: Action, worker: Worker) -> list[str]:
    """Succeeded on the second delivery, said so, and did its AWS call once (the resumed run found it done)."""
    log = messages(action)
    assert (action.status, action.deliveries, action.error) == ("succeeded", 2, ""), (log, worker.tail())
    assert log.count(LOST) == 1, log
    assert log.count("Succeeded.") == 1, log
    return log


def test_a_killed_pool_child_is_requeued_and_the_action_completes_once(aws, ec2, fleet, request_action, workers):
    [iid] = fleet(1)
    worker = workers()
    fault_inject(endpoint=aws, action="DescribeInstances", latency_ms=LATENCY_MS)
    action = request_action("ec2.stop", [iid])
    caught_waiting(action, worker)
    [child] = wait_for(worker.children, "the pool child", worker)

    kill_mid_action(worker, "child", workers)
    action = finished(action, worker)

    log = assert_ran_once_after_one_loss(action, worker)
    assert log.count("Stopping 1 instance(s)") == 1, log  # StopInstances was called by the first delivery only
    assert action.result == {"instances": {iid: "already stopped"}}
    assert state_of(ec2, iid) == "stopped"
    assert Instance.objects.get(instance_id=iid).state == "stopped"  # the re-sync at the end
    assert worker.process.poll() is None and child not in worker.children()  # the main process replaced its child
    worker_log = worker.log.read_text()
    assert "WorkerLostError" in worker_log
    # The requeued message meets the dead child's heartbeat: still fresh, it is Busy and retried after STALE_AFTER
    # ("retry: Retry in 3s"); already stale, when a loaded machine requeues slowly, it is taken over at once. Which of
    # the two happens is timing; that it ran once and resumed once is asserted above.


def test_a_killed_main_process_is_resumed_by_the_worker_that_starts_and_completes_once(
    aws, ec2, fleet, request_action, workers
):
    """Redis keeps the unacknowledged message for an hour here and no beat runs: the worker that starts hands the
    action off itself once the heartbeat is stale (fleetui.actions.watch)."""
    [iid] = fleet(1)
    ec2.stop_instances(InstanceIds=[iid])
    worker = workers(**HOUR_VISIBILITY)
    fault_inject(endpoint=aws, action="DescribeInstances", latency_ms=LATENCY_MS)
    action = request_action("ec2.start", [iid])
    caught_waiting(action, worker)

    killed_at = time.time()
    worker.kill_all()
    successor = workers("actions", **HOUR_VISIBILITY)  # as production's actions-worker: -Q actions
    assert Action.objects.get(pk=action.pk).deliveries == 1  # nobody took it over before the new worker came
    action = finished(action, successor)

    log = assert_ran_once_after_one_loss(action, successor)
    assert log.count("Starting 1 instance(s)") == 1, log
    assert action.result == {"instances": {iid: "already running"}}
    assert state_of(ec2, iid) == "running"
    assert Instance.objects.get(instance_id=iid).state == "running"
    assert_resumed_soon_after(action, killed_at, successor, within=45)


def test_a_message_lost_with_its_worker_is_re_sent_by_actions_recover(
    aws, ec2, fleet, request_action, workers, settings
):
    """With no worker left to watch, beat's actions.recover re-sends the action: production's visibility timeout is
    2 h, and Redis keeps the message for an hour here."""
    settings.FLEETUI_ACTION_STALE_AFTER = STALE_AFTER  # recover runs in this process: same staleness as the worker
    [iid] = fleet(1)
    worker = workers(**HOUR_VISIBILITY)
    fault_inject(endpoint=aws, action="DescribeInstances", latency_ms=LATENCY_MS)
    action = request_action("ec2.stop", [iid])
    caught_waiting(action, worker)

    worker.kill_all()
    wait_for(recover_actions, "actions.recover to re-send the action", None, timeout=4 * STALE_AFTER + 5)
    assert Action.objects.get(pk=action.pk).owner == HANDED_OFF
    successor = workers(**HOUR_VISIBILITY)
    action = finished(action, successor)

    log = assert_ran_once_after_one_loss(action, successor)
    assert log.count("Stopping 1 instance(s)") == 1, log
    assert state_of(ec2, iid) == "stopped"


def test_a_killed_workers_action_is_resumed_by_a_surviving_worker_without_beat_or_redis(
    aws, ec2, fleet, request_action, workers
):
    """Two workers on the actions queue; the one running the action is SIGKILLed whole. The other hands it off as
    soon as its heartbeat is stale: no actions.recover runs here, and Redis would keep the message for an hour."""
    [iid] = fleet(1)
    pair = [workers("actions", **HOUR_VISIBILITY) for _ in range(2)]
    for each in pair:
        wait_for(each.ready, "both workers", each)
    fault_inject(endpoint=aws, action="DescribeInstances", latency_ms=LATENCY_MS)
    action = request_action("ec2.stop", [iid])
    caught_waiting(action, pair[0])
    pid = int(Action.objects.get(pk=action.pk).owner.split("/")[0].rsplit(":", 1)[1])  # the pool child running it
    [running] = [each for each in pair if pid in each.children()]
    [survivor] = [each for each in pair if each is not running]

    killed_at = time.time()
    running.kill_all()
    action = finished(action, survivor)

    log = assert_ran_once_after_one_loss(action, survivor)
    assert log.count("Stopping 1 instance(s)") == 1, log
    assert state_of(ec2, iid) == "stopped"
    assert_resumed_soon_after(action, killed_at, survivor, within=STALE_AFTER + 15)


def assert_resumed_soon_after(action: Action, killed_at: float, worker: Worker, within: float) -> None:
    """The heartbeat (every 1 s) goes stale STALE_AFTER after its last beat, and workers look every second; `within`
    leaves room for a loaded machine (and a worker's start), far below the hour Redis would keep the message."""
    resumed_at = action.log.get(message=LOST).at.timestamp()
    assert resumed_at - killed_at < within, (resumed_at - killed_at, worker.tail())


def kill_mid_action(worker: Worker, how: str, start: Callable[[], Worker]) -> Worker:
    """SIGKILL the pool child ("child") or the whole worker ("main"); returns the worker that carries on."""
    if how == "child":
        [child] = wait_for(worker.children, "the pool child", worker)
        os.kill(child, signal.SIGKILL)
        return worker
    killed_at = time.monotonic()
    worker.kill_all()
    # Redis gives an unacknowledged message to the next consumer that looks once the visibility timeout
    # has passed; a worker looks when it starts (and then every few minutes).
    time.sleep(max(0.0, killed_at + VISIBILITY_TIMEOUT + 0.5 - time.monotonic()))
    return start()


@pytest.mark.parametrize("how", ["child", "main"])
def test_a_launch_whose_worker_dies_launches_its_instances_exactly_once(
    aws, ec2, account, request_action, workers, how
):
    sync_scope(account=account, region=REGION, resource_type="instance_types")  # the form's type choices
    images = ec2.describe_images(Owners=["amazon"])["Images"]
    image_id = next(i["ImageId"] for i in images if i.get("Architecture") == "x86_64" and i["State"] == "available")
    worker = workers()
    fault_inject(endpoint=aws, action="DescribeInstances", latency_ms=LATENCY_MS)
    params = {"image_id": image_id, "instance_type": "t3.micro", "count": 2, "purchase": "on-demand"}
    action = request_action("ec2.launch", [], {**params, "tags": "Name=crash\nOwner=tests"})
    caught_waiting(action, worker)
    first = Action.objects.get(pk=action.pk).result["instance_ids"]  # RunInstances answered before the kill

    survivor = kill_mid_action(worker, how, workers)
    action = finished(action, survivor)

    log = assert_ran_once_after_one_loss(action, survivor)
    assert any(m.startswith("Resumed: RunInstances is sent again with the same ClientToken") for m in log), log
    instances = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
    # The redelivered RunInstances carried the same ClientToken and got the first delivery's instances back.
    assert len(instances) == 2, [(i["InstanceId"], i.get("ClientToken")) for i in instances]
    assert {i["ClientToken"] for i in instances} == {f"fleetui-action-{action.pk}"}
    assert sorted(i["InstanceId"] for i in instances) == sorted(first) == sorted(action.result["instance_ids"])
    assert {i["State"]["Name"] for i in instances} == {"running"}
    assert sorted(Instance.objects.filter(gone_at__isnull=True).values_list("instance_id", flat=True)) == sorted(first)


def test_an_action_whose_worker_dies_on_every_delivery_fails_at_the_cap(aws, fleet, request_action, workers):
    """With FLEETUI_ACTION_MAX_DELIVERIES=2: two deliveries are killed, the third gives up with the count."""
    [iid] = fleet(1)
    fault_inject(endpoint=aws, action="DescribeInstances", latency_ms=LATENCY_MS)
    worker = workers(FLEETUI_ACTION_MAX_DELIVERIES="2")
    action = request_action("ec2.stop", [iid])
    for delivery in (1, 2):

        def running_delivery(n: int = delivery) -> bool:
            row = Action.objects.filter(pk=action.pk).values("status", "deliveries", "step").get()
            return row["status"] == "running" and row["deliveries"] == n and row["step"].lower().startswith("reading")

        wait_for(running_delivery, f"delivery {delivery}", worker)
        [child] = wait_for(worker.children, "the pool child", worker)
        os.kill(child, signal.SIGKILL)
    action = finished(action, worker)

    assert (action.status, action.deliveries) == ("failed", 3)
    assert action.error.startswith("The worker running this action was lost 2 times; fleetui stopped retrying it.")
    assert messages(action).count(LOST) == 1  # delivery 2 resumed; delivery 3 gave up instead
