"""EMR reads: the inventory's fetchers (one list of boto3's dicts per page).

- Clusters: ListClusters (paginated, every state: AWS lists terminated clusters for two months), keeping the
  active ones and those that ended in the last `ENDED_KEPT` (7 days), then DescribeCluster each (applications,
  tags, release label, auto-terminate, log URI, master DNS) and GetAutoTerminationPolicy each active one (the idle
  timeout, which DescribeCluster does not carry). A cluster that ended longer ago drops out of the list, so the
  sweep marks its row gone: the inventory keeps a week of history, AWS's console two months.
- Instance groups: per parent cluster (the clusters' ids, the sync's parent keys), DescribeCluster's
  InstanceCollectionType says which API holds its capacity: ListInstanceGroups, or ListInstanceFleets for a
  cluster on instance fleets. Each item is tagged with its cluster id under PARENT_KEY and, under COLLECTION_KEY,
  with "group" or "fleet".
- Steps: ListSteps per cluster, newest first, the newest `STEPS_KEPT` (50) of each cluster: a long-running cluster
  can have thousands; older ones are swept as gone.
- Instances: ListInstances per cluster, the ones not TERMINATED (a terminated instance is swept as gone, as the
  EC2 inventory marks the EC2 instance terminated).

`ids` (a targeted re-sync after an action): cluster ids name their clusters directly; a group, fleet, step or
instance id does not name its cluster, so each live parent cluster's children are read and only the named ones
kept (fine at EMR's scale: a region has tens of clusters, not thousands). `ids=[]` makes no call; `ids=None`
reads everything. EMR answers an unknown cluster id with InvalidRequestException ("Cluster id 'j-...' is not
valid."): such a cluster is simply not returned, so the sync marks it gone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import AwsInvalidRequest, AwsNotFound, aws_errors
from .query import PARENT_KEY

Page = list[dict[str, Any]]
PAGE = 50  # items per yielded page
COLLECTION_KEY = "FleetuiCollection"  # "group" or "fleet" on an instance group's item
ENDED_KEPT = timedelta(days=7)
STEPS_KEPT = 50
ENDED_STATES = frozenset({"TERMINATED", "TERMINATED_WITH_ERRORS"})
LIVE_INSTANCE_STATES = ["AWAITING_FULFILLMENT", "PROVISIONING", "BOOTSTRAPPING", "RUNNING"]


def _emr(account: AccountRef, region: str) -> Any:
    return client_get("emr", account=account, region=region)


def _pages(items: Iterator[dict[str, Any] | None]) -> Iterator[Page]:
    page: Page = []
    for item in items:
        if item is not None:
            page.append(item)
        if len(page) >= PAGE:
            yield page
            page = []
    if page:
        yield page


def _cluster_described(client: Any, cluster_id: str) -> dict[str, Any] | None:
    """DescribeCluster's `Cluster`, or None when EMR does not know the id."""
    try:
        with aws_errors("DescribeCluster"):
            return dict(client.describe_cluster(ClusterId=cluster_id)["Cluster"])
    except (AwsInvalidRequest, AwsNotFound):
        return None


def _idle_timeout(client: Any, cluster_id: str) -> int | None:
    """The auto-termination policy's IdleTimeout in seconds, None when the cluster has none."""
    with aws_errors("GetAutoTerminationPolicy"):
        policy = client.get_auto_termination_policy(ClusterId=cluster_id).get("AutoTerminationPolicy") or {}
    timeout = policy.get("IdleTimeout")
    return None if timeout is None else int(timeout)


def _kept(summary: dict[str, Any], now: datetime) -> bool:
    """Active clusters, and those that ended within ENDED_KEPT."""
    status = summary.get("Status") or {}
    if status.get("State") not in ENDED_STATES:
        return True
    ended = (status.get("Timeline") or {}).get("EndDateTime")
    return ended is None or ended >= now - ENDED_KEPT


def cluster_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Clusters (ListClusters, DescribeCluster and GetAutoTerminationPolicy each). `ids`: cluster ids (`j-...`)."""
    client = _emr(account, region)
    if ids is None:
        now = datetime.now(UTC)
        wanted = [
            str(summary["Id"])
            for page in paginate(client, "list_clusters", "Clusters")
            for summary in page
            if _kept(summary, now)
        ]
    else:
        wanted = list(dict.fromkeys(ids))

    def described() -> Iterator[dict[str, Any] | None]:
        for cluster_id in wanted:
            cluster = _cluster_described(client, cluster_id)
            if cluster is not None and (cluster.get("Status") or {}).get("State") not in ENDED_STATES:
                cluster["IdleTimeout"] = _idle_timeout(client, cluster_id)
            yield cluster

    yield from _pages(described())


def _children(
    parents: Sequence[str] | None,
    ids: Sequence[str] | None,
    key: str,
    read: Callable[[str], Iterator[dict[str, Any]]],
) -> Iterator[Page]:
    """Each parent cluster's children from `read(cluster_id)`, tagged with the cluster; with `ids`, only the named
    ones (their `key`)."""
    named = None if ids is None else set(ids)
    if named is not None and not named:
        return

    def items() -> Iterator[dict[str, Any] | None]:
        for cluster_id in parents or []:
            for item in read(cluster_id):
                if named is None or item.get(key) in named:
                    yield {**item, PARENT_KEY: cluster_id}

    yield from _pages(items())


def _listed(client: Any, method: str, result_key: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Every item of a per-cluster list; none when EMR no longer knows the cluster."""
    try:
        for page in paginate(client, method, result_key, **params):
            yield from page
    except (AwsInvalidRequest, AwsNotFound):
        return


def instance_group_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, parents: Sequence[str] | None = None
) -> Iterator[Page]:
    """Instance groups, or instance fleets, of each parent cluster. `ids`: group (`ig-...`) or fleet (`if-...`)
    ids."""
    client = _emr(account, region)

    def read(cluster_id: str) -> Iterator[dict[str, Any]]:
        cluster = _cluster_described(client, cluster_id)
        if cluster is None:
            return
        if cluster.get("InstanceCollectionType") == "INSTANCE_FLEET":
            for fleet in _listed(client, "list_instance_fleets", "InstanceFleets", ClusterId=cluster_id):
                yield {**fleet, COLLECTION_KEY: "fleet"}
        else:
            for group in _listed(client, "list_instance_groups", "InstanceGroups", ClusterId=cluster_id):
                yield {**group, COLLECTION_KEY: "group"}

    return _children(parents, ids, "Id", read)


def step_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, parents: Sequence[str] | None = None
) -> Iterator[Page]:
    """The newest STEPS_KEPT steps of each parent cluster (ListSteps answers newest first). `ids`: step ids,
    looked for among all of each cluster's steps (a step id does not name its cluster)."""
    client = _emr(account, region)

    def read(cluster_id: str) -> Iterator[dict[str, Any]]:
        for count, step in enumerate(_listed(client, "list_steps", "Steps", ClusterId=cluster_id)):
            if ids is None and count >= STEPS_KEPT:
                return
            yield step

    return _children(parents, ids, "Id", read)


def instance_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, parents: Sequence[str] | None = None
) -> Iterator[Page]:
    """The instances of each parent cluster that are not TERMINATED (ListInstances). `ids`: EMR instance ids
    (`ci-...`)."""
    client = _emr(account, region)

    def read(cluster_id: str) -> Iterator[dict[str, Any]]:
        items = _listed(
            client, "list_instances", "Instances", ClusterId=cluster_id, InstanceStates=LIVE_INSTANCE_STATES
        )
        for instance in items:
            if (instance.get("Status") or {}).get("State") in LIVE_INSTANCE_STATES:
                yield instance

    return _children(parents, ids, "Id", read)
