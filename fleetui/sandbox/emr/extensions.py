"""fleetui's EMR for the sandbox: moto 5.2.5's EMR patched to behave like the real API (state.py says how).

`install()` patches moto's EMR backend, models and response class (the originals are kept in ORIGINAL):
- RunJobFlow starts the cluster's lifecycle and its groups' REAL EC2 instances (lifecycle.py), keeps the
  AutoTerminationPolicy; Get/Put/RemoveAutoTerminationPolicy, which moto lacks, answer from it;
- reads (DescribeCluster, ListClusters, ListInstanceGroups, ListSteps, DescribeStep, ListInstances) settle first;
  ListInstances honours InstanceStates and reports each instance's own state and times;
- ModifyInstanceGroups, TerminateJobFlows and AddJobFlowSteps validate as EMR does and take the delay.

Control API (JSON, on the sandbox server; middleware.py asks `control` for the handler):
- `GET /fleetui-sandbox/emr` -> `{"delay": 3.0}`; `POST /fleetui-sandbox/emr` `{"delay": 0.2}` sets the seconds a
  cluster start, a step, a termination or a resize takes from now on.
- `POST /fleetui-sandbox/emr/backdate` `{"account_id", "region", "cluster": "j-...", "created": iso8601,
  "ready": iso8601, "steps": {"s-...": {"state": "FAILED", "start": iso, "end": iso, "message": "..."}}}` sets
  times no API can set and pins those steps' states (the demo seed's idle cluster and its failed step).
- `POST /moto-api/reset` resets the delay to its default (FLEETUI_SANDBOX_EMR_DELAY, else 3.0 s).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

import moto.emr.models as emr_models
from moto.core.responses import ActionResult, BaseResponse, EmptyResult, PaginatedResult
from moto.emr.models import Cluster, ElasticMapReduceBackend, InstanceGroup, Step, emr_backends
from moto.emr.models import Instance as EmrInstance
from moto.emr.responses import ElasticMapReduceResponse
from moto.emr.utils import random_id

from ..middleware import CONTROL_PREFIX, ControlHandler
from . import lifecycle
from .state import (
    CONFIG,
    ENDED,
    MODIFY_ENDED,
    ClusterLife,
    Resize,
    cluster_get,
    default_delay,
    group_get,
    life_of,
    life_set,
    now,
    pin,
    resize_set,
    validation,
)

CONTROL_PATH = CONTROL_PREFIX + "emr"
BACKDATE_PATH = CONTROL_PATH + "/backdate"
ORIGINAL: dict[str, Any] = {}
_SETTLING_READS = (
    "describe_cluster", "list_clusters", "describe_job_flows", "list_instance_groups", "list_steps", "describe_step",
)  # fmt: skip


def _settle_all(backend: ElasticMapReduceBackend) -> None:
    for cluster in list(backend.clusters.values()):
        lifecycle.settle(backend, cluster)


def _settling(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def read(self: ElasticMapReduceBackend, *args: Any, **kwargs: Any) -> Any:
        _settle_all(self)
        return original(self, *args, **kwargs)

    return read


# --- models -------------------------------------------------------------------------------------------------------


def _cluster_status(self: Cluster) -> dict[str, Any]:
    life = life_of(self)
    code, message = life.reason if life is not None else ("", "")
    reason = {"Message": message, **({"Code": code} if code else {})}
    timeline = {"CreationDateTime": self.creation_datetime, "ReadyDateTime": self.ready_datetime}
    return {
        "State": self.state,
        "StateChangeReason": reason,
        "Timeline": {**timeline, "EndDateTime": self.end_datetime},
    }


def _add_steps(self: Cluster, steps: list[dict[str, Any]]) -> list[Step]:
    """Every new step is PENDING (settle starts it when its turn comes); the cluster's state is settle's."""
    added = [Step(state="PENDING", **step) for step in steps]
    for step in added:
        vars(step)["fleetui_delay"] = CONFIG.delay
    self.steps.extend(added)
    return added


def _group_cluster(group: InstanceGroup) -> Cluster | None:
    cluster: Cluster | None = vars(group).get("fleetui_cluster")
    return cluster


def _running_count(self: InstanceGroup) -> int:
    cluster = _group_cluster(self)
    if cluster is None:
        return int(self.num_instances)
    return sum(1 for i in lifecycle.group_instances(cluster, self) if lifecycle.instance_state(i) == "RUNNING")


def _group_status(self: InstanceGroup) -> dict[str, Any]:
    message = getattr(self, "state_change_reason", None) if self.state == "RESIZING" else ""
    reason: dict[str, Any] = {"Message": message or ""}
    if self.state == "TERMINATED":
        reason = {"Code": "CLUSTER_TERMINATED", "Message": "Cluster was terminated."}
    timeline = {"CreationDateTime": self.creation_date_time, "ReadyDateTime": self.ready_date_time}
    return {
        "State": self.state,
        "StateChangeReason": reason,
        "Timeline": {**timeline, "EndDateTime": self.end_date_time},
    }


def _instance_status(self: EmrInstance) -> dict[str, Any]:
    data = vars(self)
    timeline = {"CreationDateTime": data.get("fleetui_created"), "ReadyDateTime": data.get("fleetui_ready")}
    return {
        "State": lifecycle.instance_state(self),
        "StateChangeReason": {},
        "Timeline": {**timeline, "EndDateTime": data.get("fleetui_ended")},
    }


# --- backend ------------------------------------------------------------------------------------------------------


def _run_instances(self: ElasticMapReduceBackend, *args: Any, **kwargs: Any) -> None:
    """moto launches untagged instances before the cluster's tags are known: the response wrapper launches."""


def _modify_instance_groups(self: ElasticMapReduceBackend, instance_groups: list[dict[str, Any]]) -> None:
    """EMR's checks first (all or nothing), then each resize. Errors: InvalidRequestException for an unknown group;
    ValidationException for a bad count, a MASTER group, or a cluster not RUNNING/WAITING."""
    plans = []
    for index, item in enumerate(instance_groups, start=1):
        group = group_get(self, str(item.get("instance_group_id") or item.get("InstanceGroupId") or ""))
        raw = item.get("instance_count", item.get("InstanceCount"))
        if raw is None:
            continue
        count = int(raw)
        if count < 0:
            raise validation(
                f"1 validation error detected: Value '{count}' at 'instanceGroups.{index}.member.instanceCount' "
                "failed to satisfy constraint: Member must have value greater than or equal to 0"
            )
        if group.role == "MASTER":
            raise validation("Modifying the instance count of the master instance group is not supported.")
        plans.append((group, count))
    for group, count in plans:
        cluster = cluster_get(self, group.cluster_id)
        lifecycle.resize(self, cluster, group, count)


def _terminate_job_flows(self: ElasticMapReduceBackend, job_flow_ids: list[str]) -> list[Cluster]:
    clusters = [cluster_get(self, job_flow_id) for job_flow_id in job_flow_ids]
    if any(cluster.termination_protected for cluster in clusters):
        raise validation("Could not shut down one or more job flows since they are termination protected.")
    for cluster in clusters:
        lifecycle.terminate(self, cluster)
    return clusters


def _add_job_flow_steps(self: ElasticMapReduceBackend, job_flow_id: str, steps: list[dict[str, Any]]) -> list[Step]:
    cluster = lifecycle.settle(self, cluster_get(self, job_flow_id))
    if cluster.state in (*ENDED, "TERMINATING"):
        raise validation(MODIFY_ENDED)
    added = _add_steps(cluster, steps)
    lifecycle.settle(self, cluster)
    return added


# --- responses ----------------------------------------------------------------------------------------------------


def _dress(backend: ElasticMapReduceBackend, cluster: Cluster, policy: dict[str, Any] | None) -> None:
    """A cluster RunJobFlow just made: back to STARTING, steps PENDING, groups PROVISIONING with their instances."""
    cluster.state, cluster.ready_datetime = "STARTING", None
    cluster.end_datetime = None
    vars(cluster)["instance_collection_type"] = "INSTANCE_GROUP"  # moto has no fleets
    vars(cluster)["fleetui_policy"] = policy
    step: Any
    for step in cluster.steps:
        step.state, step.start_date_time = "PENDING", None
        vars(step)["fleetui_delay"] = CONFIG.delay
    for group in cluster.instance_groups:
        vars(group)["fleetui_cluster"] = cluster
        group.state = "PROVISIONING"
        vars(group)["ready_date_time"] = None
        lifecycle.launch(backend, cluster, group, group.num_instances, "PROVISIONING")
    # The delay counts from now: the first RunJobFlow of a fresh server spends a while loading EC2's catalogs.
    life_set(cluster, ClusterLife(started=now(), delay=CONFIG.delay))
    lifecycle.settle(backend, cluster)


def _policy_param(response: ElasticMapReduceResponse) -> dict[str, Any] | None:
    policy = response._get_param("AutoTerminationPolicy")
    if not policy:
        return None
    timeout = policy.get("IdleTimeout", policy.get("idle_timeout"))
    if timeout is None:
        return None
    timeout = int(timeout)
    if not 60 <= timeout <= 604800:
        raise validation("The idle timeout must be between 60 seconds (1 minute) and 604800 seconds (7 days).")
    return {"IdleTimeout": timeout}


def run_job_flow(self: ElasticMapReduceResponse) -> ActionResult:
    policy = _policy_param(self)
    result = ORIGINAL["run_job_flow"](self)
    for cluster in list(self.backend.clusters.values()):
        if life_of(cluster) is None:
            _dress(self.backend, cluster, policy)
    return result


def add_instance_groups(self: ElasticMapReduceResponse) -> ActionResult:
    """A new group (a TASK group added later) provisions its instances over the delay."""
    cluster = lifecycle.settle(self.backend, cluster_get(self.backend, self._get_param("JobFlowId")))
    if cluster.state in (*ENDED, "TERMINATING"):
        raise validation(MODIFY_ENDED)
    result = ORIGINAL["add_instance_groups"](self)
    for group in cluster.instance_groups:
        if _group_cluster(group) is None:
            vars(group)["fleetui_cluster"] = cluster
            group.state = "PROVISIONING"
            resize_set(group, Resize(now(), CONFIG.delay, 0, group.num_instances))
    lifecycle.settle(self.backend, cluster)
    return result


def list_instances(self: ElasticMapReduceResponse) -> ActionResult:
    """ListInstances with InstanceGroupId, InstanceGroupTypes and InstanceStates honoured (moto ignores states)."""
    backend = self.backend
    cluster = lifecycle.settle(backend, cluster_get(backend, self._get_param("ClusterId")))
    instances = backend.list_instances(
        cluster.id,
        instance_group_id=self._get_param("InstanceGroupId"),
        instance_group_types=self._get_param("InstanceGroupTypes"),
    )
    states = self._get_param("InstanceStates") or []
    if states:
        instances = [i for i in instances if lifecycle.instance_state(i) in states]
    return PaginatedResult({"Instances": instances})


def get_auto_termination_policy(self: ElasticMapReduceResponse) -> ActionResult:
    cluster = cluster_get(self.backend, self._get_param("ClusterId"))
    policy = vars(cluster).get("fleetui_policy")
    return ActionResult({"AutoTerminationPolicy": policy} if policy else {})


def put_auto_termination_policy(self: ElasticMapReduceResponse) -> ActionResult:
    cluster = cluster_get(self.backend, self._get_param("ClusterId"))
    vars(cluster)["fleetui_policy"] = _policy_param(self)
    return EmptyResult()


def remove_auto_termination_policy(self: ElasticMapReduceResponse) -> ActionResult:
    cluster = cluster_get(self.backend, self._get_param("ClusterId"))
    vars(cluster)["fleetui_policy"] = None
    return EmptyResult()


def get_region_from_url(self: ElasticMapReduceResponse, request: Any, full_url: str) -> str:
    """moto's EMR reads the region from the host name only (`elasticmapreduce.<region>.amazonaws.com`), so every
    call to the sandbox's 127.0.0.1 landed in us-east-1: fall back to the request's signature, as other services do."""
    for regex in ElasticMapReduceResponse.emr_region_regex:
        match = regex.search(self.parsed_url.netloc)
        if match:
            return match.group(1)
    return BaseResponse.get_region_from_url(self, request, full_url)


_RESPONSES = (
    get_region_from_url,
    run_job_flow, add_instance_groups, list_instances, get_auto_termination_policy, put_auto_termination_policy,
    remove_auto_termination_policy,
)  # fmt: skip


def _group_id() -> str:
    return f"ig-{random_id()}"


def install() -> None:
    """Patch moto's EMR; safe to call again (the originals are taken once)."""
    # moto names groups (and instances) `i-...`, like EC2 instances; EMR's group ids are `ig-...`.
    emr_models.random_instance_group_id = _group_id
    for function in _RESPONSES:
        name = function.__name__
        if name in ElasticMapReduceResponse.__dict__ and name not in ORIGINAL:
            ORIGINAL[name] = ElasticMapReduceResponse.__dict__[name]
        setattr(ElasticMapReduceResponse, name, function)
    for name in _SETTLING_READS:
        key = f"backend.{name}"
        if key not in ORIGINAL:
            ORIGINAL[key] = getattr(ElasticMapReduceBackend, name)
        setattr(ElasticMapReduceBackend, name, _settling(ORIGINAL[key]))
    ElasticMapReduceBackend.run_instances = _run_instances  # type: ignore[method-assign]
    ElasticMapReduceBackend.modify_instance_groups = _modify_instance_groups  # type: ignore[method-assign]
    ElasticMapReduceBackend.terminate_job_flows = _terminate_job_flows  # type: ignore[method-assign]
    ElasticMapReduceBackend.add_job_flow_steps = _add_job_flow_steps  # type: ignore[method-assign]
    Cluster.add_steps = _add_steps  # type: ignore[method-assign]
    Cluster.status = property(_cluster_status)  # type: ignore[assignment,method-assign]
    InstanceGroup.running_instance_count = property(_running_count)  # type: ignore[assignment,method-assign]
    InstanceGroup.instance_running_count = property(_running_count)  # type: ignore[assignment,method-assign]
    InstanceGroup.status = property(_group_status)  # type: ignore[assignment,method-assign]
    EmrInstance.status = property(_instance_status)  # type: ignore[assignment,method-assign]


# --- control ------------------------------------------------------------------------------------------------------


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


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


def backdate(data: dict[str, Any]) -> dict[str, Any]:
    """Set a cluster's creation/ready times and pin steps' states and times (see the module docstring)."""
    unknown = set(data) - {"account_id", "region", "cluster", "created", "ready", "steps"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    backend = emr_backends[str(data["account_id"])][str(data["region"])]
    cluster = backend.clusters.get(str(data["cluster"]))
    if cluster is None:
        raise ValueError(f"no cluster {data['cluster']!r} in {data['account_id']} {data['region']}")
    lifecycle.settle(backend, cluster)
    if data.get("created"):
        cluster.creation_datetime = cluster.start_datetime = _when(data["created"])
        life = life_of(cluster)
        if life is not None:
            life.started = cluster.creation_datetime
    if data.get("ready"):
        cluster.ready_datetime = _when(data["ready"])
    steps: dict[str, Any] = {step.id: step for step in cluster.steps}
    for step_id, fields in (data.get("steps") or {}).items():
        step = steps.get(step_id)
        if step is None:
            raise ValueError(f"no step {step_id!r} in cluster {cluster.id}")
        step.state = str(fields.get("state") or step.state)
        step.creation_date_time = _when(fields["start"]) if fields.get("start") else step.creation_date_time
        step.start_date_time = _when(fields["start"]) if fields.get("start") else step.start_date_time
        step.end_date_time = _when(fields["end"]) if fields.get("end") else None
        step.last_state_change_reason = fields.get("message")
        pin(step)
    lifecycle.settle(backend, cluster)
    return {"cluster": cluster.id, "state": cluster.state, "steps": len(data.get("steps") or {})}


def control(path: str, method: str) -> ControlHandler | None:
    """The service hook: the JSON handler for one of EMR's control paths and an HTTP method, else None."""
    if path == BACKDATE_PATH:
        return backdate
    if path != CONTROL_PATH:
        return None
    if method == "POST":
        return config_set
    return lambda _data: config_get()
