"""EKS managed nodegroup calls for actions: read a nodegroup, change its scaling, follow the update, see its ASG.

Each returns plain data. EKS answers a cluster or nodegroup that does not exist with ResourceNotFoundException
("No cluster found for name: ...", "No node group found for name: ..."), which comes out as
fleetui.aws.AwsNotFound with AWS's message; a request EKS cannot take (InvalidParameterException: desired size
above the max; ResourceInUseException: another update is in progress; InvalidRequestException) comes out as
fleetui.aws.AwsInvalidRequest. Throttling and endpoint errors are AwsThrottled / AwsUnavailable.
"""

from __future__ import annotations

from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import aws_errors

# The ARN's resource part is nodegroup/<cluster>/<nodegroup>/<uuid>.
NODEGROUP_ARN_PART = ":nodegroup/"


def nodegroup_arn_parts(arn: str) -> tuple[str, str]:
    """(cluster name, nodegroup name) of a nodegroup ARN (arn:aws:eks:<region>:<acct>:nodegroup/<c>/<ng>/<uuid>)."""
    path = arn.split(NODEGROUP_ARN_PART, 1)[-1]
    cluster, _, rest = path.partition("/")
    return cluster, rest.partition("/")[0]


def _eks(account: AccountRef, region: str) -> Any:
    return client_get("eks", account=account, region=region)


def _call(account: AccountRef, region: str, method: str, operation: str, **params: Any) -> dict[str, Any]:
    with aws_errors(operation):
        answer = getattr(_eks(account, region), method)(**params)
    answer.pop("ResponseMetadata", None)
    return answer


def nodegroup_describe(*, account: AccountRef, region: str, cluster: str, nodegroup: str) -> dict[str, Any]:
    """DescribeNodegroup: the nodegroup (status, scalingConfig, resources.autoScalingGroups, health...)."""
    answer = _call(
        account, region, "describe_nodegroup", "DescribeNodegroup", clusterName=cluster, nodegroupName=nodegroup
    )
    return dict(answer["nodegroup"])


def nodegroup_scale(
    *, account: AccountRef, region: str, cluster: str, nodegroup: str, min_size: int, desired_size: int,
    max_size: int, token: str,
) -> dict[str, Any]:  # fmt: skip
    """UpdateNodegroupConfig with a new scalingConfig; returns the Update (id, status InProgress, params).

    `token` is the clientRequestToken: the same token again is the same request to EKS, not a second update.
    """
    answer = _call(
        account, region, "update_nodegroup_config", "UpdateNodegroupConfig",
        clusterName=cluster, nodegroupName=nodegroup, clientRequestToken=token,
        scalingConfig={"minSize": min_size, "desiredSize": desired_size, "maxSize": max_size},
    )  # fmt: skip
    return dict(answer["update"])


def update_describe(
    *, account: AccountRef, region: str, cluster: str, nodegroup: str, update_id: str
) -> dict[str, Any]:
    """DescribeUpdate of a nodegroup's update: status InProgress, Successful, Failed or Cancelled, and its errors."""
    answer = _call(
        account, region, "describe_update", "DescribeUpdate", name=cluster, nodegroupName=nodegroup, updateId=update_id
    )
    return dict(answer["update"])


def update_ids(*, account: AccountRef, region: str, cluster: str, nodegroup: str) -> list[str]:
    """ListUpdates of one nodegroup: the ids of every update EKS knows for it (all statuses)."""
    client = _eks(account, region)
    pages = paginate(client, "list_updates", "updateIds", name=cluster, nodegroupName=nodegroup)
    return [str(update_id) for page in pages for update_id in page]


def autoscaling_groups(*, account: AccountRef, region: str, names: list[str]) -> list[dict[str, Any]]:
    """DescribeAutoScalingGroups of the nodegroup's groups: capacities and instances (id, lifecycle state)."""
    if not names:
        return []
    client = client_get("autoscaling", account=account, region=region)
    pages = paginate(client, "describe_auto_scaling_groups", "AutoScalingGroups", AutoScalingGroupNames=names)
    return [group for page in pages for group in page]
