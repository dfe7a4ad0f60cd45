"""What EMR builds and runs behind a cluster in the sandbox (see state.py for the timeline): each group's REAL EC2
instances, tagged as EMR tags them, spot for a SPOT group, and the lazy `settle` of clusters, steps and resizes.

EMR tags every instance it launches with `aws:elasticmapreduce:job-flow-id` and
`aws:elasticmapreduce:instance-group-role` (MASTER/CORE/TASK), plus the cluster's own tags.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from moto.emr.models import Cluster, ElasticMapReduceBackend, InstanceGroup
from moto.emr.models import Instance as EmrInstance
from moto.emr.utils import random_id

from ..ec2.launch import OneTimeSpotRequest
from .state import (
    ACTIVE,
    CONFIG,
    ENDED,
    MODIFY_ENDED,
    SETTLE_LOCK,
    STEP_ACTIVE,
    STEPS_DONE_REASON,
    USER_REASON,
    ClusterLife,
    Resize,
    is_pinned,
    life_of,
    now,
    resize_of,
    resize_set,
    step_delay,
    validation,
)

JOB_FLOW_TAG = "aws:elasticmapreduce:job-flow-id"
ROLE_TAG = "aws:elasticmapreduce:instance-group-role"
AMI_ID = "ami-12c6146b"  # moto's EMR example AMI, as moto's own RunJobFlow uses


def instance_state(instance: EmrInstance) -> str:
    state: str = vars(instance).get("fleetui_state", "PROVISIONING")
    return state


def _instance_state_set(instance: EmrInstance, state: str, moment: datetime) -> None:
    vars(instance)["fleetui_state"] = state
    if state == "RUNNING" and vars(instance).get("fleetui_ready") is None:
        vars(instance)["fleetui_ready"] = moment
    if state == "TERMINATED":
        vars(instance)["fleetui_ended"] = moment


def group_instances(cluster: Cluster, group: InstanceGroup, *, live: bool = True) -> list[EmrInstance]:
    found = [i for i in cluster.ec2_instances if i.instance_group.id == group.id]
    return [i for i in found if instance_state(i) != "TERMINATED"] if live else found


def launch(backend: ElasticMapReduceBackend, cluster: Cluster, group: InstanceGroup, count: int, state: str) -> None:
    """Start `count` EC2 instances for the group (spot ones for a SPOT group) and record them as EMR instances."""
    if count <= 0:
        return
    ec2 = backend.ec2_backend
    tags = {**cluster._tags, JOB_FLOW_TAG: cluster.id, ROLE_TAG: group.role}
    reservation = ec2.run_instances(
        AMI_ID,
        count,
        None,
        [],
        instance_type=group.instance_type,
        is_instance_type_default=False,
        placement=cluster.availability_zone,
        region_name=backend.region_name,
        tags={"instance": tags},
    )
    moment = now()
    ec2_instance: Any
    for ec2_instance in reservation.instances:
        if group.market == "SPOT":
            ec2_instance.lifecycle = "spot"
            request = OneTimeSpotRequest(ec2, ec2_instance, group.bid_price)
            ec2.spot_instance_requests[request.id] = request
            ec2_instance.spot_instance_request_id = request.id
        instance = EmrInstance(ec2_instance=ec2_instance, instance_group=group, instance_id=f"ci-{random_id()}")
        vars(instance)["fleetui_created"] = moment
        _instance_state_set(instance, state, moment)
        cluster.add_instance(instance)


def _terminate(backend: ElasticMapReduceBackend, instances: list[EmrInstance], moment: datetime) -> None:
    if not instances:
        return
    backend.ec2_backend.terminate_instances([i.ec2_instance.id for i in instances])
    for instance in instances:
        _instance_state_set(instance, "TERMINATED", moment)


def _settle_group(backend: ElasticMapReduceBackend, cluster: Cluster, group: InstanceGroup, moment: datetime) -> None:
    resize = resize_of(group)
    if resize is None:
        return
    live = group_instances(cluster, group)
    wanted = resize.count_now(moment)
    if wanted > len(live):
        launch(backend, cluster, group, wanted - len(live), "RUNNING")
    elif wanted < len(live):
        # EMR shrinks a task group by the newest instances first (they have run the least work).
        _terminate(backend, sorted(live, key=lambda i: vars(i).get("fleetui_created") or moment)[wanted:], moment)
    if resize.share(moment) >= 1.0:
        group.state = "RUNNING"
        resize_set(group, None)


def _settle_steps(cluster: Cluster, life: ClusterLife, moment: datetime) -> datetime:
    """Run the cluster's unpinned steps one after the other from its ready time; returns when the last one ended
    (or the ready time)."""
    cursor = cluster.ready_datetime or life.at(1.0)
    step: Any
    for step in sorted(cluster.steps, key=lambda s: s.creation_date_time):
        if is_pinned(step):
            continue
        if step.state not in STEP_ACTIVE:
            cursor = max(cursor, step.end_date_time or cursor)
            continue
        if step.state == "PENDING":
            start = max(cursor, step.creation_date_time)
            if moment < start:
                break
            step.state, step.start_date_time = "RUNNING", start
        end = step.start_date_time + _seconds(step_delay(step))
        if moment < end:
            break
        step.state, step.end_date_time = "COMPLETED", end
        step.last_state_change_reason = None
        cursor = end
    return cursor


def _seconds(value: float) -> timedelta:
    return timedelta(seconds=value)


def settle(backend: ElasticMapReduceBackend, cluster: Cluster) -> Cluster:
    """Bring one cluster (its state, steps, groups and instances) up to now; returns it."""
    life = life_of(cluster)
    if life is None:
        return cluster
    with SETTLE_LOCK:
        moment = now()
        if cluster.state in ENDED:
            return cluster
        if life.terminating is None:
            _settle_running(backend, cluster, life, moment)
        if life.terminating is not None and moment >= life.terminating + _seconds(life.delay):
            _terminated(backend, cluster, life, life.terminating + _seconds(life.delay))
    return cluster


def _settle_running(backend: ElasticMapReduceBackend, cluster: Cluster, life: ClusterLife, moment: datetime) -> None:
    if cluster.ready_datetime is None:
        if moment < life.at(0.5):
            cluster.state, life.reason = "STARTING", ("", "Provisioning Amazon EC2 capacity")
            return
        if moment < life.at(1.0):
            cluster.state, life.reason = "BOOTSTRAPPING", ("", "Running bootstrap actions")
            _instances_to(cluster, "BOOTSTRAPPING", moment)
            return
        cluster.ready_datetime = life.at(1.0)
        _instances_to(cluster, "RUNNING", moment)
        for group in cluster.instance_groups:
            if group.state in ("PROVISIONING", "BOOTSTRAPPING"):
                group.state, group.ready_date_time = "RUNNING", cluster.ready_datetime
    last_end = _settle_steps(cluster, life, moment)
    for group in cluster.instance_groups:
        _settle_group(backend, cluster, group, moment)
    if any(step.state == "RUNNING" for step in cluster.steps):
        cluster.state, life.reason = "RUNNING", ("", "Running step")
    elif cluster.keep_job_flow_alive_when_no_steps or any(s.state == "PENDING" for s in cluster.steps):
        cluster.state, life.reason = "WAITING", ("", "Cluster ready after last step completed.")
        if not any(step.end_date_time for step in cluster.steps):
            life.reason = ("", "Cluster ready to run steps.")
    else:
        life.terminating, life.reason = max(last_end, cluster.ready_datetime), STEPS_DONE_REASON
        cluster.state = "TERMINATING"


def _instances_to(cluster: Cluster, state: str, moment: datetime) -> None:
    for instance in cluster.ec2_instances:
        if instance_state(instance) not in ("TERMINATED", "RUNNING"):
            _instance_state_set(instance, state, moment)


def _terminated(backend: ElasticMapReduceBackend, cluster: Cluster, life: ClusterLife, moment: datetime) -> None:
    """The end of TERMINATING: every instance terminated in EC2, groups TERMINATED, unfinished steps CANCELLED."""
    _terminate(backend, [i for i in cluster.ec2_instances if instance_state(i) != "TERMINATED"], moment)
    for group in cluster.instance_groups:
        group.state, group.end_date_time = "TERMINATED", moment
        resize_set(group, None)
    step: Any
    for step in cluster.steps:
        if step.state in STEP_ACTIVE:
            step.state, step.end_date_time = "CANCELLED", moment
    cluster.state, cluster.end_datetime = "TERMINATED", moment


def terminate(backend: ElasticMapReduceBackend, cluster: Cluster) -> None:
    """TerminateJobFlows on one (unprotected) cluster: TERMINATING for the delay, by user request."""
    settle(backend, cluster)
    if cluster.state not in ACTIVE:
        return  # terminating or terminated already: EMR accepts the repeat and changes nothing
    life = life_of(cluster)
    if life is None:
        return
    with SETTLE_LOCK:
        life.terminating, life.reason, life.delay = now(), USER_REASON, CONFIG.delay
        cluster.state = "TERMINATING"
    settle(backend, cluster)


def resize(backend: ElasticMapReduceBackend, cluster: Cluster, group: InstanceGroup, count: int) -> None:
    """ModifyInstanceGroups for one group: the requested count at once, the instances over the delay."""
    settle(backend, cluster)
    if cluster.state not in ("RUNNING", "WAITING"):
        if cluster.state in ACTIVE:
            raise validation("An instance group may only be modified when the cluster is running or waiting.")
        raise validation(MODIFY_ENDED)
    with SETTLE_LOCK:
        start = len(group_instances(cluster, group))
        group.set_instance_count(count)
        group.state = "RESIZING" if count != start else "RUNNING"
        reason = "Expanding instance group" if count > start else "Shrinking instance group"
        vars(group)["state_change_reason"] = reason
        resize_set(group, Resize(now(), CONFIG.delay, start, count))
    settle(backend, cluster)
