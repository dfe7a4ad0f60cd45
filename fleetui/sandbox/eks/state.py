"""EKS state the sandbox keeps on top of moto's backend: the delay, operations in progress, updates and add-ons.

moto 5.2.5's EKS answers UpdateNodegroupConfig with an update that is already Successful and changes nothing
behind the nodegroup; it has no DescribeUpdate, no add-ons and no real Auto Scaling group. Here a nodegroup
operation (create, scaling) records when it started and the delay in force (`NodegroupOp`); `settle(nodegroup)`
moves the ASG's desired capacity toward the target one step per elapsed share of the delay, the first time the
nodegroup is read, and completes the operation at its due time. No threads, so no races with moto's reset.

Everything lives on moto's objects (the Nodegroup, the Cluster), so `POST /moto-api/reset` clears it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from moto.core.utils import utcnow
from moto.eks.exceptions import InvalidParameterException, ResourceInUseException, ResourceNotFoundException
from moto.eks.models import Cluster, EKSBackend, Nodegroup

DELAY_ENV_VAR = "FLEETUI_SANDBOX_EKS_DELAY"
SETTLE_LOCK = threading.RLock()


def default_delay() -> float:
    """Seconds a nodegroup operation takes, from FLEETUI_SANDBOX_EKS_DELAY (default 3.0)."""
    return float(os.environ.get(DELAY_ENV_VAR) or 3.0)


@dataclass
class EksConfig:
    delay: float = field(default_factory=default_delay)


CONFIG = EksConfig()


def not_found(message: str, **ids: str | None) -> ResourceNotFoundException:
    """EKS's 404: ResourceNotFoundException with the ids AWS echoes (clusterName, nodegroupName, ...)."""
    return ResourceNotFoundException(message=message, **_ids(ids))


def invalid(message: str, **ids: str | None) -> InvalidParameterException:
    """EKS's 400 for a bad value: InvalidParameterException."""
    return InvalidParameterException(message=message, **_ids(ids))


def in_use(message: str, **ids: str | None) -> ResourceInUseException:
    """EKS's 409: the resource is busy (an update in progress) or exists already."""
    return ResourceInUseException(message=message, **_ids(ids))


def _ids(ids: dict[str, str | None]) -> dict[str, str | None]:
    names = ("clusterName", "nodegroupName", "fargateProfileName", "addonName")
    return {name: ids.get(name) for name in names}


@dataclass
class NodegroupOp:
    """An operation on a nodegroup's capacity: the ASG's desired capacity goes from `start` to `target` over
    `delay` seconds from `started`; then the nodegroup is ACTIVE and the update (if any) Successful."""

    started: datetime
    delay: float
    start: int
    target: int
    update_id: str | None = None

    def share(self, now: datetime) -> float:
        if self.delay <= 0:
            return 1.0
        return min(1.0, max(0.0, (now - self.started).total_seconds() / self.delay))

    def desired_now(self, now: datetime) -> int:
        return self.start + round((self.target - self.start) * self.share(now))


def op_of(nodegroup: Nodegroup) -> NodegroupOp | None:
    """The nodegroup's operation in progress, if any (kept on moto's object, so a reset forgets it)."""
    op: NodegroupOp | None = vars(nodegroup).get("fleetui_op")
    return op


def op_set(nodegroup: Nodegroup, op: NodegroupOp | None) -> None:
    vars(nodegroup)["fleetui_op"] = op


def scope_of(nodegroup: Nodegroup) -> tuple[str, str] | None:
    """(account id, region) of a nodegroup the sandbox built an ASG for; None for one it did not."""
    scope: tuple[str, str] | None = vars(nodegroup).get("fleetui_scope")
    return scope


def scope_set(nodegroup: Nodegroup, account_id: str, region: str) -> None:
    vars(nodegroup)["fleetui_scope"] = (account_id, region)


def cluster_get(backend: EKSBackend, name: str) -> Cluster:
    cluster = backend.clusters.get(name)
    if cluster is None:
        raise not_found(f"No cluster found for name: {name}.", clusterName=name)
    return cluster


def nodegroup_get(backend: EKSBackend, cluster_name: str, nodegroup_name: str) -> Nodegroup:
    cluster = cluster_get(backend, cluster_name)
    nodegroup = cluster.nodegroups.get(nodegroup_name)
    if nodegroup is None:
        raise not_found(
            f"No node group found for name: {nodegroup_name}.", clusterName=cluster_name, nodegroupName=nodegroup_name
        )
    return nodegroup


def updates_of(cluster: Cluster) -> dict[str, dict[str, Any]]:
    """The cluster's updates by id: {"update": the Update shape, "nodegroup": name or None, "addon": ...}."""
    updates: dict[str, dict[str, Any]] = cluster.__dict__.setdefault("fleetui_updates", {})
    return updates


def addons_of(cluster: Cluster) -> dict[str, dict[str, Any]]:
    """The cluster's add-ons by name, each the Addon shape (plus "fleetuiDue": when CREATING turns ACTIVE)."""
    addons: dict[str, dict[str, Any]] = cluster.__dict__.setdefault("fleetui_addons", {})
    return addons


def now() -> datetime:
    return utcnow()
