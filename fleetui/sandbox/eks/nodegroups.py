"""What EKS builds behind a managed nodegroup in the sandbox: a launch template and a REAL moto Auto Scaling group
whose EC2 instances exist in the sandbox's EC2, tagged the way EKS tags them, and its capacity moving over time.

- The ASG is `eks-<nodegroup>-<uuid>` (as EKS names it), on a launch template `eks-<uuid>`, with a mixed
  instances policy listing the nodegroup's instance types; the ASG's tags (propagated to its instances) are
  EKS's: `eks:cluster-name`, `eks:nodegroup-name`, `kubernetes.io/cluster/<cluster>=owned`,
  `k8s.io/cluster-autoscaler/enabled`, `k8s.io/cluster-autoscaler/<cluster>=owned`; moto adds
  `aws:autoscaling:groupName`.
- moto's ASG launches every instance on-demand with the first type: for a SPOT nodegroup the sandbox marks each
  new instance `InstanceLifecycle=spot` (moto has no spot request behind them, so `SpotInstanceRequestId` stays
  empty), and new instances take the nodegroup's instance types in turn, as a diversified ASG spreads them.
"""

from __future__ import annotations

from typing import Any

from moto.autoscaling.models import autoscaling_backends
from moto.ec2.models import ec2_backends
from moto.eks.models import Nodegroup

from .state import CONFIG, SETTLE_LOCK, NodegroupOp, invalid, now, op_of, op_set, scope_of, scope_set

ACTIVE, CREATING, UPDATING, DEGRADED = "ACTIVE", "CREATING", "UPDATING", "DEGRADED"
_DRESSED = "fleetui_eks_dressed"


def asg_name(nodegroup: Nodegroup) -> str:
    return f"eks-{nodegroup.nodegroup_name}-{nodegroup.uuid}"


def eks_tags(nodegroup: Nodegroup) -> dict[str, str]:
    cluster = nodegroup.cluster_name
    return {
        "eks:cluster-name": cluster,
        "eks:nodegroup-name": nodegroup.nodegroup_name,
        f"kubernetes.io/cluster/{cluster}": "owned",
        "k8s.io/cluster-autoscaler/enabled": "true",
        f"k8s.io/cluster-autoscaler/{cluster}": "owned",
    }


def scaling_validate(scaling: dict[str, Any], **ids: str) -> None:
    """EKS's checks of a scalingConfig, with its messages (InvalidParameterException, HTTP 400)."""
    low, desired, high = scaling.get("minSize"), scaling.get("desiredSize"), scaling.get("maxSize")
    for name, value in (("minSize", low), ("desiredSize", desired), ("maxSize", high)):
        if value is not None and (not isinstance(value, int) or value < 0):
            raise invalid(f"{name} must be a whole number of at least 0", **ids)
    if high is not None and high < 1:
        raise invalid("maxSize must be greater than or equal to 1", **ids)
    if low is not None and desired is not None and low > desired:
        raise invalid(f"Minimum capacity {low} can't be greater than desired size {desired}", **ids)
    if desired is not None and high is not None and desired > high:
        raise invalid("desiredSize can't be greater than maxSize", **ids)
    if low is not None and high is not None and low > high:
        raise invalid(f"Minimum capacity {low} can't be greater than max size {high}", **ids)


def _image_id(ec2: Any) -> str:
    """An Amazon Linux 2 AMI from moto's preloaded images (the first by id, so the choice is stable)."""
    images = sorted(ec2.amis.values(), key=lambda image: image.id)
    amazon_linux = [image for image in images if (image.name or "").startswith("amzn2-ami-hvm")]
    return (amazon_linux or images)[0].id


def infra_create(nodegroup: Nodegroup, *, account_id: str, region: str) -> None:
    """Create the nodegroup's launch template and ASG (desired 0: `settle` brings it to the desired size) and
    start its CREATING operation."""
    ec2 = ec2_backends[account_id][region]
    autoscaling = autoscaling_backends[account_id][region]
    template = ec2.create_launch_template(
        f"eks-{nodegroup.uuid}",
        "EKS managed nodegroup launch template",
        {"ImageId": _image_id(ec2), "InstanceType": nodegroup.instance_types[0]},
        {},
    )
    known = {subnet.id: subnet for subnet in ec2.describe_subnets()}
    subnets = [subnet_id for subnet_id in nodegroup.subnets or [] if subnet_id in known]
    name = asg_name(nodegroup)
    spot = nodegroup.capacity_type == "SPOT"
    autoscaling.create_auto_scaling_group(
        name=name,
        availability_zones=[] if subnets else [f"{region}a"],
        desired_capacity=0,
        max_size=nodegroup.scaling_config["maxSize"],
        min_size=0,
        launch_config_name="",
        launch_template={},
        vpc_zone_identifier=",".join(subnets) or None,
        default_cooldown=None,
        health_check_period=None,
        health_check_type="EC2",
        load_balancers=[],
        target_group_arns=[],
        placement_group=None,
        termination_policies=["AllocationStrategy", "OldestLaunchTemplate", "OldestInstance"],
        tags=[_asg_tag(name, key, value) for key, value in eks_tags(nodegroup).items()],
        capacity_rebalance=spot,
        mixed_instances_policy={
            "LaunchTemplate": {
                "LaunchTemplateSpecification": {"LaunchTemplateId": template.id, "Version": "1"},
                "Overrides": [{"InstanceType": kind} for kind in nodegroup.instance_types],
            },
            "InstancesDistribution": {
                "OnDemandAllocationStrategy": "prioritized",
                "OnDemandBaseCapacity": 0,
                "OnDemandPercentageAboveBaseCapacity": 0 if spot else 100,
                "SpotAllocationStrategy": "capacity-optimized",
            },
        },
    )
    nodegroup.resources = {"autoScalingGroups": [{"name": name}]}
    nodegroup.health = {"issues": []}  # moto shares one dict between every nodegroup
    nodegroup.status = CREATING
    op_set(nodegroup, NodegroupOp(now(), CONFIG.delay, 0, nodegroup.scaling_config["desiredSize"]))
    scope_set(nodegroup, account_id, region)


def _asg_tag(asg: str, key: str, value: str) -> dict[str, Any]:
    return {
        "ResourceId": asg,
        "ResourceType": "auto-scaling-group",
        "Key": key,
        "Value": value,
        "PropagateAtLaunch": True,
    }


def _asg(nodegroup: Nodegroup) -> Any:
    scope = scope_of(nodegroup)
    if scope is None:
        return None
    account_id, region = scope
    return autoscaling_backends[account_id][region].autoscaling_groups.get(asg_name(nodegroup))


def infra_delete(nodegroup: Nodegroup) -> None:
    """Delete the ASG and terminate its instances, as EKS does when a nodegroup is deleted."""
    scope = scope_of(nodegroup)
    if scope is None:
        return
    account_id, region = scope
    autoscaling = autoscaling_backends[account_id][region]
    if asg_name(nodegroup) in autoscaling.autoscaling_groups:
        autoscaling.delete_auto_scaling_group(asg_name(nodegroup))
        ec2 = ec2_backends[account_id][region]
        ec2.delete_launch_template(f"eks-{nodegroup.uuid}", None)


def _capacity_set(nodegroup: Nodegroup, desired: int) -> None:
    asg = _asg(nodegroup)
    if asg is None:
        return
    if asg.desired_capacity != desired:
        asg.min_size = min(asg.min_size or 0, desired)
        asg.max_size = max(asg.max_size or 0, desired)
        asg.set_desired_capacity(desired)
    _dress(nodegroup, asg)


def _dress(nodegroup: Nodegroup, asg: Any) -> None:
    """Spot lifecycle for a SPOT nodegroup's new instances, and the nodegroup's instance types in turn."""
    types = list(nodegroup.instance_types)
    for index, state in enumerate(asg.instance_states):
        instance = state.instance
        if getattr(instance, _DRESSED, False):
            continue
        if nodegroup.capacity_type == "SPOT":
            instance.lifecycle = "spot"
        instance.instance_type = types[index % len(types)]
        setattr(instance, _DRESSED, True)


def settle(nodegroup: Nodegroup) -> Nodegroup:
    """Bring the nodegroup's operation up to now (see state.py); returns it."""
    op = op_of(nodegroup)
    if op is None:
        return nodegroup
    with SETTLE_LOCK:
        moment = now()
        _capacity_set(nodegroup, op.desired_now(moment))
        if op.share(moment) < 1.0:
            return nodegroup
        asg = _asg(nodegroup)
        if asg is not None:
            asg.min_size = nodegroup.scaling_config["minSize"]
            asg.max_size = nodegroup.scaling_config["maxSize"]
        nodegroup.status = DEGRADED if nodegroup.health.get("issues") else ACTIVE
        op_set(nodegroup, None)
        if op.update_id is not None:
            update = vars(nodegroup).get("fleetui_update_shapes", {}).get(op.update_id)
            if update is not None:
                update["status"] = "Successful"
    return nodegroup


def scale(nodegroup: Nodegroup, scaling: dict[str, int], update: dict[str, Any]) -> None:
    """Start a scaling update: the new scalingConfig shows at once, status UPDATING, the ASG follows over the delay."""
    settle(nodegroup)
    asg = _asg(nodegroup)
    start = asg.desired_capacity if asg is not None else nodegroup.scaling_config["desiredSize"]
    nodegroup.scaling_config = {**nodegroup.scaling_config, **scaling}
    nodegroup.status = UPDATING
    vars(nodegroup).setdefault("fleetui_update_shapes", {})[update["id"]] = update
    op_set(nodegroup, NodegroupOp(now(), CONFIG.delay, start, nodegroup.scaling_config["desiredSize"], update["id"]))
    settle(nodegroup)
