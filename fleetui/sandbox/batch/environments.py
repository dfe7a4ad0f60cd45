"""Compute environments in the sandbox: statuses that take time, and EC2 instances that follow the desired vCPUs.

- CreateComputeEnvironment answers at once with status CREATING; after the delay the environment is VALID. A
  MANAGED EC2 or SPOT environment launches real sandbox EC2 instances for its desired vCPUs (`desiredvCpus`, else
  `minvCpus`), the fewest of its instance types that cover them (moto's own `find_min_instances_to_meet_vcpus`;
  "optimal" is m4.4xlarge there), one step of the delay's share at a time. Each instance is tagged as Batch tags
  its instances: `AWSBatchServiceTag=<environment name>`, plus the environment's `computeResources.tags`; a SPOT
  environment's instances are spot instances (`InstanceLifecycle=spot`, with a one-time spot request behind them).
  Its ECS cluster is `<name>_Batch_<uuid>`, as Batch names it.
- UpdateComputeEnvironment (state, minvCpus, desiredvCpus, maxvCpus) checks what AWS checks and answers
  ClientException (400): an unknown environment, one not VALID (being created or updated), vCPUs on a FARGATE
  environment, negative vCPUs, `minvCpus > maxvCpus`, `desiredvCpus` outside [minvCpus, maxvCpus], and a lower
  `desiredvCpus` ("Manually scaling down compute environment is not supported", as AWS answers: Batch scales in by
  itself; here lowering `maxvCpus` or `minvCpus` below the desired vCPUs pulls them down). The new values show at
  once with status UPDATING; the instances follow over the delay, then the status is VALID again.
- DeleteComputeEnvironment terminates its instances (moto's), and its ECS cluster goes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.batch.models import BatchBackend, ComputeEnvironment
from moto.moto_api._internal import mock_random

from ..ec2.launch import OneTimeSpotRequest
from .state import CONFIG, SETTLE_LOCK, client_error, now

CREATING, UPDATING, VALID = "CREATING", "UPDATING", "VALID"
SERVICE_TAG = "AWSBatchServiceTag"
FARGATE_TYPES = ("FARGATE", "FARGATE_SPOT")
LIVE_STATES = ("pending", "running")
_IMAGE = "ami-03cf127a"  # moto's own choice for Batch instances


@dataclass
class EnvironmentOp:
    """An environment's operation: `launch` (instance types) and `terminate` (instance ids) are done one per
    elapsed share of `delay` from `started`; then the environment is VALID."""

    started: datetime
    delay: float
    launch: list[str] = field(default_factory=list)
    terminate: list[str] = field(default_factory=list)
    done: int = 0

    @property
    def steps(self) -> int:
        return len(self.launch) + len(self.terminate)

    def share(self, moment: datetime) -> float:
        if self.delay <= 0:
            return 1.0
        return min(1.0, max(0.0, (moment - self.started).total_seconds() / self.delay))


def op_of(env: ComputeEnvironment) -> EnvironmentOp | None:
    op: EnvironmentOp | None = vars(env).get("fleetui_op")
    return op


def status_of(env: ComputeEnvironment) -> str:
    return str(vars(env).get("fleetui_status", VALID))


def _resources_type(env: ComputeEnvironment) -> str:
    return str((env.compute_resources or {}).get("type", ""))


def runs_instances(env: ComputeEnvironment) -> bool:
    return env.env_type == "MANAGED" and _resources_type(env) not in FARGATE_TYPES


def live_instances(env: ComputeEnvironment) -> list[Any]:
    return [instance for instance in env.instances if instance.state in LIVE_STATES]


def wanted_types(backend: BatchBackend, env: ComputeEnvironment) -> list[str]:
    """The instance types that cover the environment's desired vCPUs (none for FARGATE or UNMANAGED)."""
    if not runs_instances(env):
        return []
    resources = env.compute_resources
    vcpus = int(resources.get("desiredvCpus", resources.get("minvCpus", 0)) or 0)
    return list(backend.find_min_instances_to_meet_vcpus(list(resources["instanceTypes"]), vcpus))


def op_start(backend: BatchBackend, env: ComputeEnvironment, status: str) -> None:
    """Plan the instances' changes toward the desired vCPUs and mark the environment `status` until done."""
    have = live_instances(env)
    wanted = Counter(wanted_types(backend, env))
    keep: list[Any] = []
    for instance in have:
        if wanted[instance.instance_type] > 0:
            wanted[instance.instance_type] -= 1
            keep.append(instance)
    launch = [kind for kind, count in sorted(wanted.items()) for _ in range(count)]
    terminate = sorted(instance.id for instance in have if instance not in keep)
    vars(env)["fleetui_op"] = EnvironmentOp(now(), CONFIG.delay, launch, terminate)
    vars(env)["fleetui_status"] = status
    settle(backend, env)


def settle(backend: BatchBackend, env: ComputeEnvironment) -> ComputeEnvironment:
    """Bring the environment's operation up to now: the due share of its launches and terminations, then VALID."""
    op = op_of(env)
    if op is None:
        return env
    with SETTLE_LOCK:
        moment = now()
        due = round(op.steps * op.share(moment))
        while op.done < due:
            index = op.done
            if index < len(op.launch):
                _launch(backend, env, op.launch[index])
            else:
                backend.ec2_backend.terminate_instances([op.terminate[index - len(op.launch)]])
            op.done += 1
        if op.share(moment) >= 1.0:
            vars(env)["fleetui_op"] = None
            vars(env)["fleetui_status"] = VALID
    return env


def _launch(backend: BatchBackend, env: ComputeEnvironment, instance_type: str) -> None:
    resources = env.compute_resources
    subnets = list(resources.get("subnets") or [])
    subnet = subnets[len(env.instances) % len(subnets)] if subnets else None  # round-robin over its subnets
    ec2 = backend.ec2_backend
    reservation = ec2.run_instances(
        image_id=resources.get("imageId") or _IMAGE,
        count=1,
        user_data=None,
        security_group_names=[],
        instance_type=instance_type,
        region_name=backend.region_name,
        subnet_id=subnet,
        key_name=resources.get("ec2KeyPair"),
        security_group_ids=list(resources.get("securityGroupIds") or []),
        is_instance_type_default=False,
    )
    instance = reservation.instances[0]
    instance.add_tags({**(resources.get("tags") or {}), SERVICE_TAG: env.name})
    if _resources_type(env) == "SPOT":
        instance.lifecycle = "spot"
        request = OneTimeSpotRequest(ec2, instance, None)
        ec2.spot_instance_requests[request.id] = request
        setattr(instance, "spot_instance_request_id", request.id)  # noqa: B010 (moto's Instance declares no such attribute)
    env.add_instance(instance)


def create(backend: BatchBackend, **params: Any) -> ComputeEnvironment:
    """CreateComputeEnvironment: moto's checks and object, without its instant instances; CREATING for the delay."""
    resources = params.get("compute_resources")
    if resources and resources.get("type") not in FARGATE_TYPES and "desiredvCpus" not in resources:
        resources["desiredvCpus"] = resources.get("minvCpus", 0)
    # moto launches the instances at once: ask it for an environment of no vCPUs, then plan the real ones.
    planned = dict(resources or {})
    if resources is not None and resources.get("type") not in FARGATE_TYPES:
        params["compute_resources"] = {**resources, "desiredvCpus": 0, "minvCpus": 0}
    env = _ORIGINAL["create_compute_environment"](backend, **params)
    if resources is not None:
        env.compute_resources = planned
    backend.ecs_backend.delete_cluster(env.ecs_name)
    cluster_name = f"{env.name}_Batch_{mock_random.uuid4()}"
    env.set_ecs(backend.ecs_backend.create_cluster(cluster_name).arn, cluster_name)
    op_start(backend, env, CREATING)
    return env


def _vcpus(name: str, value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or value < 0:
        raise client_error(f"{name} must be a whole number of at least 0")
    return value


def update(
    backend: BatchBackend,
    compute_environment_name: str,
    state: str | None,
    compute_resources: dict[str, Any] | None,
    service_role: str | None,
) -> tuple[str, str]:
    """UpdateComputeEnvironment (see the module docstring)."""
    env = backend.get_compute_environment(compute_environment_name or "")
    if env is None:
        raise client_error(f"Compute environment {compute_environment_name} does not exist")
    settle(backend, env)
    if status_of(env) != VALID:
        raise client_error(
            f"Cannot update compute environment {env.name} while its status is {status_of(env)}; wait until it is VALID"
        )
    if state is not None and state not in ("ENABLED", "DISABLED"):
        raise client_error(f"state {state} must be one of ENABLED | DISABLED")
    changes = dict(compute_resources or {})
    current = env.compute_resources or {}
    low = _vcpus("minvCpus", changes.get("minvCpus"))
    desired = _vcpus("desiredvCpus", changes.get("desiredvCpus"))
    high = _vcpus("maxvCpus", changes.get("maxvCpus"))
    if env.env_type != "MANAGED" and changes:
        raise client_error("computeResources can only be updated on a MANAGED compute environment")
    if _resources_type(env) in FARGATE_TYPES and (low is not None or desired is not None):
        raise client_error(
            f"minvCpus and desiredvCpus are not applicable to a {_resources_type(env)} compute environment"
        )
    new_low = current.get("minvCpus", 0) if low is None else low
    new_high = current.get("maxvCpus", 0) if high is None else high
    if new_low > new_high:
        raise client_error(f"maxvCpus ({new_high}) must be greater than or equal to minvCpus ({new_low})")
    if runs_instances(env):
        before = int(current.get("desiredvCpus", new_low) or 0)
        if desired is not None and desired < before:
            raise client_error(
                "Manually scaling down compute environment is not supported. Disconnecting job queues from "
                "compute environment will cause it to scale-down to minvCpus."
            )
        new_desired = min(max(before, new_low), new_high) if desired is None else desired
        if not new_low <= new_desired <= new_high:
            raise client_error(
                f"desiredvCpus ({new_desired}) must be between minvCpus ({new_low}) and maxvCpus ({new_high})"
            )
        changes["desiredvCpus"] = new_desired
    _ORIGINAL["update_compute_environment"](backend, compute_environment_name, state, None, service_role)
    if changes:
        env.compute_resources = {**current, **changes}
        op_start(backend, env, UPDATING)
    return env.name, env.arn


def describe(backend: BatchBackend, environments: list[str] | None = None) -> list[dict[str, Any]]:
    """DescribeComputeEnvironments with each environment settled: its own status, and FARGATE without vCPUs."""
    for env in list(backend._compute_environments.values()):
        settle(backend, env)
    found = _ORIGINAL["describe_compute_environments"](backend, environments)
    for item in found:
        env = backend._compute_environments[item["computeEnvironmentArn"]]
        status = status_of(env)
        item["status"] = status
        item["statusReason"] = {
            CREATING: "Compute environment is being created",
            UPDATING: "Compute environment is being updated",
        }.get(status, "ComputeEnvironment Healthy")
        if "computeResources" in item:
            item["computeResources"] = dict(item["computeResources"])
    return found


_ORIGINAL: dict[str, Any] = {}
