"""fleetui's ECS for the sandbox: moto 5.2.5's ECS with a service scheduler (state.py) and its quirks fixed.

What moto gets wrong, and what `install()` does about it:
- DescribeTasks advances a task one lifecycle step per call: tasks here follow time instead (state.task_status),
  and DescribeTasks names missing tasks in `failures` (reason MISSING) as AWS does.
- RunTask on Fargate crashes unless every container sets `memory`: the task-level memory counts instead.
- DescribeCapacityProviders without names crashes: it lists the account's providers plus FARGATE and
  FARGATE_SPOT, which every account has.
- CreateService ignores `capacityProviderStrategy` (and the cluster's default strategy) and always reports launch
  type EC2; services here keep their strategy, report no launch type with one, and have a `createdAt`.
- A service's running count equals its desired count at once, with no tasks: here tasks start and stop over
  `CONFIG.delay` seconds and the counts follow them; deployments roll out (UpdateService with
  forceNewDeployment or a new task definition makes a new PRIMARY deployment) and services write events.
- ListTasks ignores `serviceName` and lists STOPPED tasks by default: here it filters by service and, like AWS,
  lists the tasks whose desired status is RUNNING unless `desiredStatus` says otherwise.
- DescribeClusters' task and service counts drift from the truth: here they are counted when asked.
- Task definitions have no `registeredAt`: here they have.

Control API (JSON, on the sandbox server; middleware.py asks `control` for the handler):
- `GET /fleetui-sandbox/ecs` -> `{"delay": 4.0}`; `POST /fleetui-sandbox/ecs` `{"delay": 0.5}` sets the seconds a
  service takes to converge on its desired count and a deployment to roll out, from now on.
- `POST /fleetui-sandbox/ecs/fail-rollout` `{"service_arn": "arn:aws:ecs:..."}`: the service's rollout in progress
  (else its next one) fails. A task definition whose image contains "crashloop" fails its rollouts too.
- `POST /moto-api/reset` resets the delay to FLEETUI_SANDBOX_ECS_DELAY, else 4.0 s.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.ecs.exceptions import InvalidParameterException, ServiceNotFoundException
from moto.ecs.models import EC2ContainerServiceBackend, Service, Task, ecs_backends
from moto.ecs.responses import DESCRIBE_SERVICES_TAGS, DESCRIBE_TASKS_TAGS, EC2ContainerServiceResponse

from ..middleware import CONTROL_PREFIX, ControlHandler
from . import state
from .state import CONFIG, default_delay, deployment_new, settle, task_status, task_stop

CONTROL_PATH = CONTROL_PREFIX + "ecs"
FAIL_ROLLOUT_PATH = CONTROL_PATH + "/fail-rollout"
FARGATE_PROVIDERS = ("FARGATE", "FARGATE_SPOT")


# --- Task fields moto lacks, computed from the sandbox's own ------------------------------------------------------


def _task_definition_of(task: Task) -> Any:
    return task._backend.describe_task_definition(task.task_definition_arn)


def _task_cpu(task: Task) -> str | None:
    definition = _task_definition_of(task)
    return str(definition.cpu) if definition.cpu else str((task.resource_requirements or {}).get("CPU") or 0)


def _task_memory(task: Task) -> str | None:
    definition = _task_definition_of(task)
    return str(definition.memory) if definition.memory else str((task.resource_requirements or {}).get("MEMORY") or 0)


_TASK_PROPERTIES: dict[str, Any] = {
    "last_status": property(lambda self: task_status(self), lambda self, value: setattr(self, "status", value)),
    "cpu": property(_task_cpu),
    "memory": property(_task_memory),
    "created_at": property(lambda self: state.task_timestamps(self)["created_at"]),
    "started_at": property(lambda self: state.task_timestamps(self)["started_at"]),
    "stopping_at": property(lambda self: state.task_timestamps(self)["stopping_at"]),
    "stopped_at": property(lambda self: state.task_timestamps(self)["stopped_at"]),
    "availability_zone": property(lambda self: self.__dict__.get("fl_az")),
}


def _requirements(definition: Any) -> dict[str, Any]:
    """moto's per-task resource sum, with a container that sets no memory counting 0 (the task-level memory
    covers it on Fargate; moto added None and crashed)."""
    needed: dict[str, Any] = {"CPU": 0, "MEMORY": 0, "PORTS": [], "PORTS_UDP": []}
    for container in definition.container_definitions:
        needed["CPU"] += int(container.get("cpu") or container.get("Cpu") or 0)
        memory = container.get("memory") or container.get("Memory")
        needed["MEMORY"] += int(memory or container.get("memoryReservation") or container.get("MemoryReservation") or 0)
        for mapping in container.get("portMappings") or container.get("PortMappings") or []:
            port = mapping.get("hostPort", mapping.get("HostPort"))
            if port:
                needed["PORTS"].append(port)
    if not needed["MEMORY"] and definition.memory:
        needed["MEMORY"] = int(definition.memory)
    return needed


# --- The actions ---------------------------------------------------------------------------------------------------


class EcsResponses:
    """Methods installed on moto's EC2ContainerServiceResponse: `self` is the response handling the request."""

    ecs_backend: EC2ContainerServiceBackend
    _get_param: Any
    _include_in_response: Any
    _exclude_from_response: Any

    def describe_capacity_providers(self) -> ActionResult:
        names = self._get_param("capacityProviders")
        backend = self.ecs_backend
        if names:
            providers, failures = backend.describe_capacity_providers(
                [name for name in names if name not in FARGATE_PROVIDERS]
            )
            managed = [name for name in names if name in FARGATE_PROVIDERS]
        else:
            providers, failures, managed = list(backend.capacity_providers.values()), [], list(FARGATE_PROVIDERS)
        prefix = f"arn:aws:ecs:{backend.region_name}:{backend.account_id}"
        fargate = [
            {
                "capacityProviderArn": f"{prefix}:capacity-provider/{name}",
                "name": name,
                "status": "ACTIVE",
                "tags": [],
            }
            for name in managed
        ]
        return ActionResult({"capacityProviders": [*fargate, *providers], "failures": failures})

    def create_service(self) -> ActionResult:
        backend = self.ecs_backend
        strategy = self._get_param("capacityProviderStrategy")
        launch_type = self._get_param("launchType")
        cluster = backend._get_cluster(self._get_param("cluster", "default"))
        if launch_type and strategy:
            raise InvalidParameterException("Specify either a launch type or a capacity provider strategy, not both.")
        if not launch_type and not strategy and cluster.default_capacity_provider_strategy:
            strategy = cluster.default_capacity_provider_strategy
        desired = self._get_param("desiredCount")
        if desired is not None and int(desired) < 0:
            raise InvalidParameterException("Desired count must be at least 0.")
        result = _ORIGINALS["create_service"](self)
        service: Service = result.result["service"]  # type: ignore[index]
        service.__dict__["created_at"] = utcnow()
        if strategy:
            service.launch_type = None
            service.__dict__["capacity_provider_strategy"] = [
                {"capacityProvider": item["capacityProvider"], "weight": int(item.get("weight") or 0),
                 "base": int(item.get("base") or 0)}
                for item in strategy
            ]  # fmt: skip
        service.deployments = []
        service.running_count = service.pending_count = 0
        deployment_new(service, now=utcnow())
        settle(backend)
        return result

    def update_service(self) -> ActionResult:
        backend = self.ecs_backend
        settle(backend)
        service = _service_get(backend, self._get_param("cluster", "default"), self._get_param("service"))
        now = utcnow()
        desired = self._get_param("desiredCount")
        if desired is not None:
            if int(desired) < 0:
                raise InvalidParameterException("Desired count must be at least 0.")
            service.desired_count = int(desired)
        new_deployment = bool(self._get_param("forceNewDeployment"))
        definition_str = self._get_param("taskDefinition")
        if definition_str:
            definition = backend.describe_task_definition(definition_str)
            new_deployment = new_deployment or definition.arn != service.task_definition
            service.task_definition = definition.arn
        if new_deployment:
            fails = bool(service.__dict__.pop("fl_fail_next", False))
            deployment_new(service, now=now, fails=fails)
        service.__dict__["fl_busy"] = True
        settle(backend)
        return ActionResult({"service": service})

    def describe_services(self) -> ActionResult:
        settle(self.ecs_backend)
        return _ORIGINALS["describe_services"](self)

    def list_services(self) -> ActionResult:
        settle(self.ecs_backend)
        return _ORIGINALS["list_services"](self)

    def describe_clusters(self) -> ActionResult:
        backend = self.ecs_backend
        settle(backend)
        result = _ORIGINALS["describe_clusters"](self)
        now = utcnow()
        for cluster in result.result["clusters"]:  # type: ignore[index]
            tasks = [task_status(task, now) for task in backend.tasks.get(cluster.name, {}).values()]
            cluster.running_tasks_count = tasks.count("RUNNING")
            cluster.pending_tasks_count = tasks.count("PENDING")
            cluster.active_services_count = sum(
                1 for s in backend.services.values() if s.cluster_name == cluster.name and s.status == "ACTIVE"
            )
            cluster.registered_container_instances_count = len(backend.container_instances.get(cluster.name, {}))
        return result

    def list_tasks(self) -> ActionResult:
        backend = self.ecs_backend
        settle(backend)
        cluster = backend._get_cluster(self._get_param("cluster", "default"))
        service_name = self._get_param("serviceName")
        desired = self._get_param("desiredStatus") or "RUNNING"
        instance = self._get_param("containerInstance")
        family = self._get_param("family")
        started_by = self._get_param("startedBy")
        arns = []
        for task in backend.tasks.get(cluster.name, {}).values():
            if task.desired_status != desired:
                continue
            if service_name and task.group != f"service:{service_name.rsplit('/', 1)[-1]}":
                continue
            if instance and not (task.container_instance_arn or "").endswith(instance.rsplit("/", 1)[-1]):
                continue
            if family and task.task_definition_arn.rsplit("/", 1)[-1].rpartition(":")[0] != family:
                continue
            if started_by and task.started_by != started_by:
                continue
            arns.append(task.task_arn)
        return ActionResult({"taskArns": arns})

    def describe_tasks(self) -> ActionResult:
        backend = self.ecs_backend
        settle(backend)
        cluster = backend._get_cluster(self._get_param("cluster", "default"))
        wanted = self._get_param("tasks") or []
        if not wanted:
            raise InvalidParameterException("Tasks cannot be empty.")
        by_id = {task.id: task for task in backend.tasks.get(cluster.name, {}).values()}
        tasks, failures = [], []
        for name in wanted:
            task = by_id.get(name.rsplit("/", 1)[-1])
            if task is None:
                failures.append({"arn": name, "reason": "MISSING"})
            else:
                tasks.append(task)
        if "TAGS" in (self._get_param("include") or []):
            self._include_in_response(DESCRIBE_TASKS_TAGS)
        else:
            self._exclude_from_response(DESCRIBE_TASKS_TAGS)
        return ActionResult({"tasks": tasks, "failures": failures})

    def stop_task(self) -> ActionResult:
        backend = self.ecs_backend
        settle(backend)
        cluster = backend._get_cluster(self._get_param("cluster", "default"))
        task_id = str(self._get_param("task") or "").rsplit("/", 1)[-1]
        task = next((t for t in backend.tasks.get(cluster.name, {}).values() if t.id == task_id), None)
        if task is None:
            raise InvalidParameterException("The referenced task was not found.")
        now = utcnow()
        reason = self._get_param("reason") or "Task stopped by user"
        task_stop(task, at=now + timedelta(seconds=CONFIG.delay) / 4, reason=reason, now=now)
        for service in backend.services.values():
            if service.cluster_name == cluster.name and task.group == state.service_group(service):
                service.__dict__["fl_busy"] = True  # the scheduler replaces a stopped task of a service
        settle(backend)
        return ActionResult({"task": task})

    def delete_service(self) -> ActionResult:
        backend = self.ecs_backend
        settle(backend)
        result = _ORIGINALS["delete_service"](self)
        service: Service = result.result["service"]  # type: ignore[index]
        now = utcnow()
        for task in backend.tasks.get(service.cluster_name, {}).values():
            if task.group == state.service_group(service):
                task_stop(task, at=now + timedelta(seconds=CONFIG.delay), reason="Service deleted", now=now)
        return result

    def register_task_definition(self) -> ActionResult:
        result = _ORIGINALS["register_task_definition"](self)
        result.result["taskDefinition"].__dict__.setdefault("registered_at", utcnow())  # type: ignore[index]
        return result

    def run_task(self) -> ActionResult:
        result = _ORIGINALS["run_task"](self)
        for task in result.result["tasks"]:  # type: ignore[index]
            task.__dict__.setdefault("fl_created_at", utcnow())
        return result


_PATCHED = (
    "describe_capacity_providers", "create_service", "update_service", "describe_services", "list_services",
    "describe_clusters", "list_tasks", "describe_tasks", "stop_task", "delete_service", "run_task",
    "register_task_definition",
)  # fmt: skip
_ORIGINALS: dict[str, Any] = {}


def _service_get(backend: EC2ContainerServiceBackend, cluster: str, name: str | None) -> Service:
    service = backend._get_service(cluster, str(name or "").rsplit("/", 1)[-1])
    if service.status != "ACTIVE":
        raise ServiceNotFoundException  # AWS: ServiceNotActiveException; the SDK's callers treat both as gone
    return service


def install() -> None:
    """Put fleetui's ECS on moto; safe to call more than once."""
    for name in _PATCHED:
        if name not in _ORIGINALS:
            _ORIGINALS[name] = getattr(EC2ContainerServiceResponse, name)
        setattr(EC2ContainerServiceResponse, name, EcsResponses.__dict__[name])
    for name, prop in _TASK_PROPERTIES.items():
        setattr(Task, name, prop)
    EC2ContainerServiceBackend._calculate_task_resource_requirements = staticmethod(_requirements)  # type: ignore[method-assign,assignment]
    _ = DESCRIBE_SERVICES_TAGS  # DescribeServices keeps moto's own include=TAGS handling


# --- Control API ---------------------------------------------------------------------------------------------------


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


def fail_rollout(data: dict[str, Any]) -> dict[str, Any]:
    """Make the service's rollout in progress fail, else its next one (see the module docstring)."""
    arn = str(data.get("service_arn") or "")
    parts = arn.split(":")
    if len(parts) < 6 or not parts[5].startswith("service/"):
        raise ValueError(
            "'service_arn' must be a service ARN (arn:aws:ecs:<region>:<account>:service/<cluster>/<name>)"
        )
    backend = ecs_backends[parts[4]][parts[3]]
    settle(backend)
    service = next((s for s in backend.services.values() if s.arn == arn and s.status == "ACTIVE"), None)
    if service is None:
        raise ValueError(f"no such active service: {arn}")
    deployment = state.primary(service)
    if deployment is not None and deployment["rolloutState"] == "IN_PROGRESS":
        state.rollout_fail_now(backend, service, deployment)
        return {"service_arn": arn, "fails": "in progress", "deployment": deployment["id"]}
    service.__dict__["fl_fail_next"] = True
    return {"service_arn": arn, "fails": "next"}


def control(path: str, method: str) -> ControlHandler | None:
    """The service hook: the JSON handler for one of ECS's control paths and an HTTP method, else None."""
    if path == FAIL_ROLLOUT_PATH and method == "POST":
        return fail_rollout
    if path != CONTROL_PATH:
        return None
    if method == "POST":
        return config_set
    return lambda _data: config_get()
