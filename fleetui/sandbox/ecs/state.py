"""The ECS service scheduler the sandbox adds to moto: tasks that start and stop over time, deployments that roll
out, service events, all computed lazily from timestamps (no threads, so no races with moto's reset).

- A task's lifecycle is a function of time: it is PENDING until its `fl_running_at`, RUNNING until its
  `fl_stop_at`, then STOPPED (a task that never runs, in a failing rollout, has no `fl_running_at`). moto's own
  `advance()` per DescribeTasks is never called.
- `settle(backend)`, called by every ECS read and write the sandbox wraps, reconciles each busy service: it
  starts the tasks a service lacks (PENDING, each due to run one share of the delay later than the previous one,
  so the running count climbs one step per share), stops the surplus the same way, completes or fails the
  PRIMARY deployment once its tasks are due, and writes the events AWS writes, dated when they happened.
- A new deployment (UpdateService with forceNewDeployment or a new task definition) starts `desired` new tasks;
  each old task stops when its replacement starts running. The rollout FAILS when the task definition's image
  contains "crashloop" or the service was marked by `POST /fleetui-sandbox/ecs/fail-rollout`: its tasks stop
  without running ("Essential container in task exited"), the old tasks keep running, and the deployment stays
  PRIMARY with rolloutState FAILED (a service without the circuit breaker's rollback).
- EC2-launch-type tasks are placed on the cluster's ACTIVE container instances with room for them (moto's own
  check of CPU, memory and ports); when none has room, no task is started and the service says so in an event,
  like AWS ("was unable to place a task because no container instance met all of its requirements").
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from moto.core.utils import utcnow
from moto.ec2.models import ec2_backends
from moto.ecs.exceptions import TaskDefinitionNotFoundException
from moto.ecs.models import EC2ContainerServiceBackend, Service, Task
from moto.moto_api._internal import mock_random

DELAY_ENV_VAR = "FLEETUI_SANDBOX_ECS_DELAY"
FAIL_IMAGE_MARK = "crashloop"
EVENTS_KEPT = 100  # AWS keeps the latest 100 service events
PLACEMENT_EVENT_EVERY = timedelta(minutes=5)  # AWS repeats "unable to place" at most this often
_LOCK = threading.RLock()


def default_delay() -> float:
    """Seconds for a service to converge on its desired count and a deployment to roll out (default 4.0)."""
    return float(os.environ.get(DELAY_ENV_VAR) or 4.0)


@dataclass
class EcsConfig:
    delay: float = field(default_factory=default_delay)


CONFIG = EcsConfig()


# --- Tasks --------------------------------------------------------------------------------------------------------


def task_status(task: Task, now: datetime | None = None) -> str:
    """PROVISIONING/PENDING -> RUNNING -> STOPPED by time (see the module docstring)."""
    now = now or utcnow()
    stop_at = task.__dict__.get("fl_stop_at")
    if stop_at is not None and now >= stop_at:
        return "STOPPED"
    if "fl_running_at" not in task.__dict__:  # a task moto made (run_task): it runs from the start
        return "RUNNING"
    running_at = task.__dict__["fl_running_at"]
    if running_at is None or now < running_at:
        return "PENDING"
    return "RUNNING"


def task_timestamps(task: Task) -> dict[str, datetime | None]:
    now = utcnow()
    status = task_status(task, now)
    created = task.__dict__.get("fl_created_at")
    started = task.__dict__.get("fl_running_at", created) if status in ("RUNNING", "STOPPED") else None
    stop_at = task.__dict__.get("fl_stop_at")
    return {
        "created_at": created,
        "started_at": started if started and started <= now else None,
        "stopping_at": task.__dict__.get("fl_stopping_at"),
        "stopped_at": stop_at if status == "STOPPED" else None,
    }


def task_stop(task: Task, *, at: datetime, reason: str, now: datetime | None = None) -> None:
    """Ask a task to stop: desiredStatus STOPPED now, lastStatus STOPPED at `at` (or now if it never ran)."""
    now = now or utcnow()
    if task.desired_status == "STOPPED":
        return
    task.desired_status = "STOPPED"
    task.stopped_reason = reason
    task.__dict__["fl_stopping_at"] = now
    task.__dict__["fl_stop_at"] = at if task_status(task, now) == "RUNNING" else now
    _release(task)


def _release(task: Task) -> None:
    """Give the task's CPU/memory/ports back to its container instance (EC2 launch type)."""
    backend: EC2ContainerServiceBackend = task._backend
    arn = task.container_instance_arn
    if not arn or task.__dict__.get("fl_released"):
        return
    task.__dict__["fl_released"] = True
    instance = backend.container_instances.get(task.cluster_name, {}).get(arn.rsplit("/", 1)[-1])
    if instance is not None and task.resource_requirements:
        backend.update_container_instance_resources(instance, task.resource_requirements, removing=True)


# --- Services -----------------------------------------------------------------------------------------------------


def service_group(service: Service) -> str:
    return f"service:{service.name}"


def event_add(service: Service, message: str, when: datetime | None = None) -> None:
    """An event as AWS writes them, newest first: {"id", "createdAt", "message"}."""
    events = service.events
    events.insert(0, {"id": str(mock_random.uuid4()), "createdAt": when or utcnow(), "message": message})
    events.sort(key=lambda event: event["createdAt"], reverse=True)  # stable: same-time events keep their order
    del events[EVENTS_KEPT:]


def _short(task: Task) -> str:
    return f"(task {task.id})"


def deployment_new(service: Service, *, now: datetime, fails: bool = False) -> dict[str, Any]:
    """A new PRIMARY deployment of the service's current task definition; the former PRIMARY becomes ACTIVE."""
    for deployment in service.deployments:
        if deployment["status"] == "PRIMARY":
            deployment["status"] = "ACTIVE"
    deployment_id = f"ecs-svc/{mock_random.randint(10**18, 10**19 - 1)}"
    deployment = {
        "id": deployment_id,
        "status": "PRIMARY",
        "taskDefinition": service.task_definition,
        "desiredCount": service.desired_count,
        "pendingCount": 0,
        "runningCount": 0,
        "failedTasks": 0,
        "createdAt": now,
        "updatedAt": now,
        "launchType": service.launch_type,
        "capacityProviderStrategy": service.__dict__.get("capacity_provider_strategy"),
        "platformVersion": service.platform_version,
        "networkConfiguration": service.network_configuration or None,
        "rolloutState": "IN_PROGRESS",
        "rolloutStateReason": f"ECS deployment {deployment_id} in progress.",
        "fl_fails": fails or _image_fails(service),
        "fl_due": now + timedelta(seconds=CONFIG.delay),
        "fl_replace": True,
    }
    service.deployments.insert(0, deployment)
    service.__dict__["fl_busy"] = True
    return deployment


def _image_fails(service: Service) -> bool:
    backend: EC2ContainerServiceBackend = service._backend
    try:
        definition = backend.describe_task_definition(str(service.task_definition))
    except TaskDefinitionNotFoundException:  # a service whose task definition is unknown does not fail
        return False
    return any(FAIL_IMAGE_MARK in str(c.get("image", "")) for c in definition.container_definitions)


def primary(service: Service) -> dict[str, Any] | None:
    return next((d for d in service.deployments if d["status"] == "PRIMARY"), None)


def _tasks_by_group(backend: EC2ContainerServiceBackend) -> dict[tuple[str, str], list[Task]]:
    found: dict[tuple[str, str], list[Task]] = {}
    for cluster_name, tasks in backend.tasks.items():
        for task in tasks.values():
            found.setdefault((cluster_name, task.group), []).append(task)
    return found


def settle(backend: EC2ContainerServiceBackend) -> None:
    """Bring every busy service of one (account, region) up to now (see the module docstring)."""
    with _LOCK:
        busy = [s for s in backend.services.values() if s.__dict__.get("fl_busy") and s.status == "ACTIVE"]
        if not busy:
            return
        by_group = _tasks_by_group(backend)
        now = utcnow()
        for service in busy:
            _settle_service(backend, service, by_group.get((service.cluster_name, service_group(service)), []), now)


def _settle_service(backend: EC2ContainerServiceBackend, service: Service, tasks: list[Task], now: datetime) -> None:
    """Reconcile one service at `now`; `tasks` (all of the service's, stopped ones too) grows with those started."""
    deployment = primary(service)
    if deployment is not None and deployment["rolloutState"] == "IN_PROGRESS" and deployment.pop("fl_replace", False):
        _replace(backend, service, tasks, deployment, now)
    live = [t for t in tasks if t.desired_status == "RUNNING"]
    if len(live) < service.desired_count:
        _start(backend, service, tasks, service.desired_count - len(live), deployment, now)
    elif len(live) > service.desired_count:
        _scale_in(service, live, len(live) - service.desired_count, now)
    _counts(service, tasks, now)
    if deployment is not None and deployment["rolloutState"] == "IN_PROGRESS" and now >= deployment["fl_due"]:
        _rollout_end(service, deployment)
    _steady_check(service, tasks, now)


def _stagger(now: datetime, count: int) -> list[datetime]:
    step = timedelta(seconds=CONFIG.delay) / max(count, 1)
    return [now + step * (index + 1) for index in range(count)]


def _start(
    backend: EC2ContainerServiceBackend,
    service: Service,
    tasks: list[Task],
    count: int,
    deployment: dict[str, Any] | None,
    now: datetime,
) -> list[Task]:
    """Start `count` tasks of the PRIMARY deployment, PENDING now and RUNNING one share of the delay apart (added
    to `tasks`); returns those that will run (none in a failing rollout)."""
    started = []
    fails = bool(deployment and deployment.get("fl_fails"))
    for running_at in _stagger(now, count):
        task = task_create(backend, service, deployment, now)
        if task is None:
            _unplaceable(backend, service, now)
            break
        task.__dict__["fl_running_at"] = None if fails else running_at
        if fails:
            task.__dict__["fl_stop_at"] = running_at
            task.desired_status = "STOPPED"
            task.stopped_reason = "Essential container in task exited"
            _release(task)
        started.append(task)
    tasks.extend(started)
    if started:
        names = " ".join(_short(task) for task in started)
        event_add(service, f"(service {service.name}) has started {len(started)} tasks: {names}.", now)
    return [task for task in started if task.desired_status == "RUNNING"]


def _scale_in(service: Service, live: list[Task], count: int, now: datetime) -> None:
    """Stop the newest `count` tasks (the not-yet-running first), one share of the delay apart."""
    ordered = sorted(live, key=lambda t: (task_status(t, now) == "RUNNING", t.__dict__.get("fl_created_at") or now))
    victims = ordered[:count]
    for task, at in zip(victims, _stagger(now, len(victims)), strict=True):
        task_stop(task, at=at, reason="Scaling activity initiated by (deployment)", now=now)
    names = " ".join(_short(task) for task in victims)
    event_add(service, f"(service {service.name}) has stopped {len(victims)} running tasks: {names}.", now)


def _replace(
    backend: EC2ContainerServiceBackend, service: Service, tasks: list[Task], deployment: dict[str, Any], now: datetime
) -> None:
    """A new deployment: start `desired` new tasks; each old one stops when its replacement runs (unless the
    rollout fails, when the old ones keep running)."""
    old = [t for t in tasks if t.desired_status == "RUNNING"]
    new = _start(backend, service, tasks, service.desired_count, deployment, now) if service.desired_count else []
    if deployment.get("fl_fails"):
        return
    for task, replacement in zip(old, new, strict=False):
        task_stop(task, at=replacement.__dict__["fl_running_at"], reason="Deployment replaced the task", now=now)
    for task in old[len(new) :]:
        task_stop(task, at=deployment["fl_due"], reason="Deployment replaced the task", now=now)
    if old:
        names = " ".join(_short(task) for task in old)
        event_add(service, f"(service {service.name}) has stopped {len(old)} running tasks: {names}.", now)


def task_create(
    backend: EC2ContainerServiceBackend, service: Service, deployment: dict[str, Any] | None, now: datetime
) -> Task | None:
    """One task of the service, placed by its launch type or capacity-provider strategy; None when an EC2 task fits
    on no container instance."""
    cluster = backend._get_cluster(service.cluster_name)
    definition = backend.describe_task_definition(str(service.task_definition))
    requirements = backend._calculate_task_resource_requirements(definition)
    provider = _provider_for(service)
    launch_type = "FARGATE" if provider in ("FARGATE", "FARGATE_SPOT") else (service.launch_type or "EC2")
    instance = None
    if launch_type == "EC2":
        instance = next(
            (
                ci
                for ci in backend.container_instances.get(cluster.name, {}).values()
                if ci.status == "ACTIVE" and backend._can_be_placed(ci, requirements)
            ),
            None,
        )
        if instance is None:
            return None
    task = Task(
        cluster, definition, instance.container_instance_arn if instance else None, requirements,
        backend=backend, group=service_group(service), launch_type=launch_type,
        started_by=deployment["id"] if deployment else "", tags=[],
        networking_configuration=service.network_configuration or None,
        platform_version="1.4.0" if launch_type == "FARGATE" else None, capacity_provider_name=provider,
    )  # fmt: skip
    task.__dict__["fl_created_at"] = now
    task.__dict__["fl_deployment"] = deployment["id"] if deployment else ""
    task.__dict__["fl_az"] = _zone_of(backend, instance, service)
    if instance is not None:
        backend.update_container_instance_resources(instance, requirements)
    backend.tasks.setdefault(cluster.name, {})[task.task_arn] = task
    return task


def _zone_of(backend: EC2ContainerServiceBackend, instance: Any, service: Service) -> str | None:
    """The AZ a task runs in: its container instance's, else its first awsvpc subnet's."""
    if instance is not None:
        return instance.attributes.get("ecs.availability-zone")
    subnets = ((service.network_configuration or {}).get("awsvpcConfiguration") or {}).get("subnets") or []
    if not subnets:
        return None
    ec2 = ec2_backends[backend.account_id][backend.region_name]
    found = ec2.describe_subnets(subnet_ids=subnets[:1])
    return found[0].availability_zone if found else None


def _provider_for(service: Service) -> str | None:
    """The capacity provider a new task goes to: the strategy's base first, then by weight (round robin)."""
    strategy = service.__dict__.get("capacity_provider_strategy") or []
    if not strategy:
        return None
    counter = service.__dict__.setdefault("fl_placed", 0)
    service.__dict__["fl_placed"] = counter + 1
    based = [item for item in strategy if item.get("base")]
    if based and counter < int(based[0]["base"]):
        return str(based[0]["capacityProvider"])
    wheel = [item["capacityProvider"] for item in strategy for _ in range(int(item.get("weight") or 0))]
    return str(wheel[counter % len(wheel)]) if wheel else str(strategy[0]["capacityProvider"])


def _unplaceable(backend: EC2ContainerServiceBackend, service: Service, now: datetime) -> None:
    last = service.__dict__.get("fl_unplaceable_at")
    if last is not None and now - last < PLACEMENT_EVENT_EVERY:
        return
    service.__dict__["fl_unplaceable_at"] = now
    instances = list(backend.container_instances.get(service.cluster_name, {}).values())
    closest = (
        f" The closest matching (container-instance {instances[0].id}) has insufficient memory available."
        if (instances)
        else ""
    )
    event_add(
        service,
        f"(service {service.name}) was unable to place a task because no container instance met all of its "
        f"requirements.{closest} For more information, see the Troubleshooting section of the Amazon ECS "
        "Developer Guide.",
        now,
    )


def _counts(service: Service, tasks: list[Task], now: datetime) -> None:
    """Running and pending counts of the service and of each deployment, from its tasks' states now."""
    statuses = [(task, task_status(task, now)) for task in tasks]
    service.running_count = sum(1 for _, status in statuses if status == "RUNNING")
    service.pending_count = sum(1 for t, status in statuses if status == "PENDING" and t.desired_status == "RUNNING")
    for deployment in service.deployments:
        mine = [(t, s) for t, s in statuses if t.__dict__.get("fl_deployment") == deployment["id"]]
        deployment["runningCount"] = sum(1 for _, s in mine if s == "RUNNING")
        deployment["pendingCount"] = sum(1 for t, s in mine if s == "PENDING" and t.desired_status == "RUNNING")
        deployment["failedTasks"] = sum(1 for t, s in mine if s == "STOPPED" and "fl_running_at" in t.__dict__
                                        and t.__dict__["fl_running_at"] is None)  # fmt: skip
        if deployment["status"] == "PRIMARY":
            deployment["desiredCount"] = service.desired_count


def _rollout_end(service: Service, deployment: dict[str, Any]) -> None:
    """Fail the rollout, or complete it once its tasks all run (one that cannot place them stays IN_PROGRESS)."""
    due: datetime = deployment["fl_due"]
    if not deployment.get("fl_fails") and deployment["runningCount"] < service.desired_count:
        return
    deployment["updatedAt"] = due
    if deployment.get("fl_fails"):
        deployment["rolloutState"] = "FAILED"
        deployment["rolloutStateReason"] = f"ECS deployment {deployment['id']} failed: tasks failed to start."
        event_add(
            service, f"(service {service.name}) (deployment {deployment['id']}) deployment failed: tasks failed to "
            "start.", due,
        )  # fmt: skip
        return
    deployment["rolloutState"] = "COMPLETED"
    deployment["rolloutStateReason"] = f"ECS deployment {deployment['id']} completed."
    service.deployments[:] = [d for d in service.deployments if d["status"] == "PRIMARY"]
    event_add(service, f"(service {service.name}) (deployment {deployment['id']}) deployment completed.", due)


def _steady_check(service: Service, tasks: list[Task], now: datetime) -> None:
    """Once nothing is left to happen: "has reached a steady state." (dated when the last task settled), and the
    service is no longer busy. A service below desired (unplaceable tasks) stays busy, so placement is retried."""
    pending_times = [
        moment
        for task in tasks
        for moment in (task.__dict__.get("fl_running_at"), task.__dict__.get("fl_stop_at"))
        if moment is not None and moment > now
    ]
    deployment = primary(service)
    if pending_times or (deployment is not None and deployment["rolloutState"] == "IN_PROGRESS"):
        return
    if service.running_count != service.desired_count:
        return
    past = [
        moment
        for task in tasks
        for moment in (task.__dict__.get("fl_running_at"), task.__dict__.get("fl_stop_at"))
        if moment is not None
    ]
    settled_at = max(past, default=now)
    if deployment is not None and deployment["rolloutState"] != "IN_PROGRESS":
        settled_at = max(settled_at, deployment["updatedAt"])
    event_add(service, f"(service {service.name}) has reached a steady state.", settled_at)
    service.__dict__["fl_busy"] = False


def rollout_fail_now(backend: EC2ContainerServiceBackend, service: Service, deployment: dict[str, Any]) -> None:
    """Make a rollout in progress fail from now: its tasks not yet running stop without running, and the old tasks
    they were to replace keep running."""
    with _LOCK:
        now = utcnow()
        deployment["fl_fails"] = True
        for task in backend.tasks.get(service.cluster_name, {}).values():
            if task.group != service_group(service):
                continue
            mine = task.__dict__.get("fl_deployment") == deployment["id"]
            if mine and task_status(task, now) == "PENDING" and task.desired_status == "RUNNING":
                planned = task.__dict__.get("fl_running_at") or now
                task.__dict__["fl_running_at"] = None
                task_stop(task, at=planned, reason="Essential container in task exited", now=now)
                task.__dict__["fl_stop_at"] = planned
            elif not mine and task.desired_status == "STOPPED" and task_status(task, now) == "RUNNING":
                _keep_running(backend, task)
        service.__dict__["fl_busy"] = True


def _keep_running(backend: EC2ContainerServiceBackend, task: Task) -> None:
    """Undo a stop that has not happened yet (its replacement will never run)."""
    task.desired_status = "RUNNING"
    task.stopped_reason = ""
    for name in ("fl_stop_at", "fl_stopping_at"):
        task.__dict__.pop(name, None)
    if task.__dict__.pop("fl_released", False) and task.container_instance_arn:
        instance = backend.container_instances.get(task.cluster_name, {}).get(
            task.container_instance_arn.rsplit("/", 1)[-1]
        )
        if instance is not None:
            backend.update_container_instance_resources(instance, task.resource_requirements or {})
