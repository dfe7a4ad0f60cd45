"""EMR calls for actions: read one cluster and its instance groups and instances, resize a group, terminate a cluster.

Each returns plain data (boto3's dicts). EMR answers most refusals with one of two codes, and the message says what:
- `InvalidRequestException`: a cluster id EMR does not know ("Cluster id 'j-...' is not valid."), or a request it
  cannot take now. DescribeCluster and ListInstanceGroups of an unknown id raise AwsNotFound here (the only way
  those two calls fail on a well-formed id), with AWS's message and code kept; the other calls raise
  AwsInvalidRequest.
- `ValidationException`: a request EMR refuses, e.g. TerminateJobFlows of a cluster with termination protection
  ("Could not shut down one or more job flows since they are termination protected."), or ModifyInstanceGroups of a
  group whose cluster is not RUNNING or WAITING: AwsInvalidRequest.
Throttling and endpoint errors are AwsThrottled / AwsUnavailable, as everywhere.
"""

from __future__ import annotations

from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import AwsInvalidRequest, AwsNotFound, aws_errors

# The states a cluster passes through on its way out; EMR takes no change of a cluster in them.
ENDING_STATES = frozenset({"TERMINATING", "TERMINATED", "TERMINATED_WITH_ERRORS"})
ENDED_STATES = frozenset({"TERMINATED", "TERMINATED_WITH_ERRORS"})
# EMR changes instance groups only while the cluster is up (ModifyInstanceGroups).
RESIZABLE_CLUSTER_STATES = frozenset({"RUNNING", "WAITING"})


def _emr(account: AccountRef, region: str) -> Any:
    return client_get("emr", account=account, region=region)


def _unknown_cluster(error: AwsInvalidRequest) -> AwsNotFound:
    return AwsNotFound(error.message, code=error.code, operation=error.operation)


def cluster_describe(*, account: AccountRef, region: str, cluster_id: str) -> dict[str, Any]:
    """DescribeCluster: the cluster (Name, Status.State and StateChangeReason, TerminationProtected, ...).
    Raises AwsNotFound with AWS's message when EMR does not know the id (it forgets a cluster two months after it
    ended)."""
    try:
        with aws_errors("DescribeCluster"):
            answer = _emr(account, region).describe_cluster(ClusterId=cluster_id)
    except AwsInvalidRequest as error:
        raise _unknown_cluster(error) from error
    return dict(answer["Cluster"])


def instance_groups_list(*, account: AccountRef, region: str, cluster_id: str) -> list[dict[str, Any]]:
    """ListInstanceGroups of one cluster: each group's Id, InstanceGroupType, Market, RequestedInstanceCount,
    RunningInstanceCount and Status (State, StateChangeReason). A cluster on instance fleets has none."""
    client = _emr(account, region)
    try:
        return [group for page in paginate(client, "list_instance_groups", "InstanceGroups", ClusterId=cluster_id)
                for group in page]  # fmt: skip
    except AwsInvalidRequest as error:
        raise _unknown_cluster(error) from error


def instance_group_describe(*, account: AccountRef, region: str, cluster_id: str, group_id: str) -> dict[str, Any]:
    """One instance group of a cluster (EMR has no call for one group: ListInstanceGroups, then the one). Raises
    AwsNotFound when the cluster or the group is unknown."""
    for group in instance_groups_list(account=account, region=region, cluster_id=cluster_id):
        if group.get("Id") == group_id:
            return group
    raise AwsNotFound(
        f"Not found: ListInstanceGroups: cluster {cluster_id} has no instance group {group_id}", code="NoSuchGroup"
    )


def instance_group_resize(
    *, account: AccountRef, region: str, cluster_id: str, group_id: str, instance_count: int
) -> None:
    """ModifyInstanceGroups of one group to `instance_count` instances (its RequestedInstanceCount). EMR answers at
    once; the group is RESIZING until the running count reaches the requested one. Nothing else of the group
    changes (no instances named to terminate, no shrink policy: EMR picks the nodes and decommissions them)."""
    with aws_errors("ModifyInstanceGroups"):
        _emr(account, region).modify_instance_groups(
            ClusterId=cluster_id, InstanceGroups=[{"InstanceGroupId": group_id, "InstanceCount": instance_count}]
        )


def instances_list(
    *, account: AccountRef, region: str, cluster_id: str, group_id: str | None = None
) -> list[dict[str, Any]]:
    """ListInstances of a cluster, or of one of its instance groups: each instance's Id (ci-...), Ec2InstanceId,
    InstanceGroupId and Status. EMR lists ended instances too, for a while."""
    client = _emr(account, region)
    params: dict[str, Any] = {"ClusterId": cluster_id} | ({"InstanceGroupId": group_id} if group_id else {})
    return [instance for page in paginate(client, "list_instances", "Instances", **params) for instance in page]


def cluster_terminate(*, account: AccountRef, region: str, cluster_id: str) -> None:
    """TerminateJobFlows of one cluster: EMR moves it to TERMINATING, then TERMINATED, and terminates its EC2
    instances. Asking again for a cluster already terminating is harmless. A cluster with termination protection is
    refused (ValidationException, AwsInvalidRequest) and nothing is changed."""
    with aws_errors("TerminateJobFlows"):
        _emr(account, region).terminate_job_flows(JobFlowIds=[cluster_id])
