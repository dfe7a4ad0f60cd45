"""EMR state the sandbox keeps on top of moto's backend: the delay, each cluster's lifecycle and each group's resize.

moto 5.2.5's EMR finishes everything inside RunJobFlow: the cluster is WAITING (or TERMINATED) before the call
returns, a group's running count is its requested count at once, ModifyInstanceGroups just changes a number, its
instances are untagged on-demand EC2 instances with `i-` ids, and TerminateJobFlows leaves them running. Here,
with `d` = FLEETUI_SANDBOX_EMR_DELAY (or `POST /fleetui-sandbox/emr {"delay": s}`) in force when it started:

- a cluster is STARTING for d/2, BOOTSTRAPPING until d, then ready: RUNNING while a step runs, else WAITING (or,
  when it auto-terminates, TERMINATING after its last step); each step runs d, one after the other;
- TERMINATING lasts d, then the cluster, its groups and its instances are TERMINATED (the EC2 instances too);
- a resize moves the group's live instances toward the requested count one instance per share of d (the group is
  RESIZING meanwhile), starting or terminating real EC2 instances, so ListInstances and EC2 agree.

All of it is worked out lazily when EMR is next read (`settle`), like sandbox/eks/state.py, and kept on moto's
objects, so `POST /moto-api/reset` forgets it. Steps and times the demo seed pins (`backdate`) never move.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from moto.core.utils import utcnow
from moto.emr.exceptions import InvalidRequestException, ValidationException
from moto.emr.models import Cluster, ElasticMapReduceBackend, InstanceGroup, Step

DELAY_ENV_VAR = "FLEETUI_SANDBOX_EMR_DELAY"
SETTLE_LOCK = threading.RLock()
ACTIVE = ("STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING")
ENDED = ("TERMINATED", "TERMINATED_WITH_ERRORS")
STEP_ACTIVE = ("PENDING", "RUNNING")
# StateChangeReason as EMR words it (the EMR API reference's ClusterStateChangeReason codes; messages as the
# console shows them).
READY_REASON = ("", "Cluster ready to run steps.")
STEPS_DONE_REASON = ("ALL_STEPS_COMPLETED", "Steps completed")
USER_REASON = ("USER_REQUEST", "Terminated by user request")
MODIFY_ENDED = "A job flow that is shutting down, terminated, or finished may not be modified."


def default_delay() -> float:
    """Seconds a cluster's start, a step, a termination or a resize takes, from FLEETUI_SANDBOX_EMR_DELAY (3.0)."""
    return float(os.environ.get(DELAY_ENV_VAR) or 3.0)


@dataclass
class EmrConfig:
    delay: float = field(default_factory=default_delay)


CONFIG = EmrConfig()


@dataclass
class ClusterLife:
    """When the cluster started and the delay in force then; `terminating` is when TERMINATING began."""

    started: datetime
    delay: float
    terminating: datetime | None = None
    reason: tuple[str, str] = READY_REASON

    def at(self, share: float) -> datetime:
        return self.started + timedelta(seconds=self.delay * share)


@dataclass
class Resize:
    """A group's live instances go from `start` to `target`, one per share of `delay` from `started`."""

    started: datetime
    delay: float
    start: int
    target: int

    def share(self, moment: datetime) -> float:
        if self.delay <= 0:
            return 1.0
        return min(1.0, max(0.0, (moment - self.started).total_seconds() / self.delay))

    def count_now(self, moment: datetime) -> int:
        return self.start + round((self.target - self.start) * self.share(moment))


def life_of(cluster: Cluster) -> ClusterLife | None:
    life: ClusterLife | None = vars(cluster).get("fleetui_life")
    return life


def life_set(cluster: Cluster, life: ClusterLife) -> None:
    vars(cluster)["fleetui_life"] = life


def resize_of(group: InstanceGroup) -> Resize | None:
    resize: Resize | None = vars(group).get("fleetui_resize")
    return resize


def resize_set(group: InstanceGroup, resize: Resize | None) -> None:
    vars(group)["fleetui_resize"] = resize


def is_pinned(step: Step) -> bool:
    return bool(vars(step).get("fleetui_pinned"))


def pin(step: Step) -> None:
    vars(step)["fleetui_pinned"] = True


def step_delay(step: Step) -> float:
    delay: float = vars(step).get("fleetui_delay", CONFIG.delay)
    return delay


def cluster_get(backend: ElasticMapReduceBackend, cluster_id: str) -> Cluster:
    """The cluster, or EMR's answer for an unknown id (InvalidRequestException, HTTP 400)."""
    cluster = backend.clusters.get(cluster_id)
    if cluster is None:
        raise InvalidRequestException(f"Cluster id '{cluster_id}' is not valid.")
    return cluster


def group_get(backend: ElasticMapReduceBackend, group_id: str) -> InstanceGroup:
    group = backend.instance_groups.get(group_id)
    if group is None:
        raise InvalidRequestException(f"Instance group id '{group_id}' is not valid.")
    return group


def validation(message: str) -> ValidationException:
    return ValidationException(message)


def now() -> datetime:
    return utcnow()
