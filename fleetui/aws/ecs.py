"""ECS reads: the inventory's fetchers, one list of boto3's dicts per page.

ECS lists ARNs (List*, paginated) and describes them in batches capped by AWS: DescribeClusters 100,
DescribeServices 10, DescribeTasks 100, DescribeContainerInstances 100; DescribeTaskDefinition takes one.
Services, tasks and container instances live in a cluster, so they are read per cluster (`parents`: the
cluster ARNs the inventory holds); each item carries its cluster's ARN under `PARENT_KEY`, since a container
instance's description does not name its cluster.

Targeted re-syncs pass `ids`: ARNs. A new-format ARN names its cluster
(`arn:aws:ecs:<region>:<acct>:service/<cluster>/<service>`, `task/<cluster>/<id>`,
`container-instance/<cluster>/<id>`), so only that cluster is asked; an old-format one (`service/<name>`) is
asked of every parent cluster. The Describe* calls answer `failures` (reason MISSING) for ARNs that no longer
exist instead of failing the call, so a missing resource simply comes back as fewer items.

What counts as present: ListServices and ListClusters do not list INACTIVE (deleted) services and clusters, and
ListTasks lists the tasks whose desired status is RUNNING; a targeted read drops INACTIVE services and clusters
too (so they are marked gone), but keeps a STOPPED task (AWS shows it for about an hour), so a stopped task's
row says STOPPED until the next full sync no longer lists it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import AwsInvalidRequest, AwsNotFound, aws_errors
from .query import PARENT_KEY, Page

CLUSTER_CHUNK = 100  # DescribeClusters: at most 100 clusters per call.
SERVICE_CHUNK = 10  # DescribeServices: at most 10 services per call.
TASK_CHUNK = 100  # DescribeTasks: at most 100 tasks per call.
INSTANCE_CHUNK = 100  # DescribeContainerInstances: at most 100 per call.
LIST_PAGE = 100  # The List* calls' maxResults ceiling.
# Task definitions: only the newest ACTIVE revisions of each family (a family can hold hundreds of old ones).
LATEST_REVISIONS = 5
CLUSTER_INCLUDE = ["STATISTICS", "TAGS", "SETTINGS"]


def _ecs(account: AccountRef, region: str) -> Any:
    return client_get("ecs", account=account, region=region)


def _chunks(items: Sequence[str], size: int) -> Iterator[list[str]]:
    unique = list(dict.fromkeys(items))
    for start in range(0, len(unique), size):
        yield unique[start : start + size]


def arn_cluster(arn: str) -> str:
    """The cluster name a new-format service, task or container-instance ARN holds, else "" (old format)."""
    resource = arn.split(":", 5)[-1]
    parts = resource.split("/")
    return parts[1] if len(parts) == 3 else ""


def cluster_arn_for(arn: str, cluster: str) -> str:
    """The ARN of `cluster` in the partition, region and account of `arn`."""
    prefix = arn.split(":", 5)[:5]
    return ":".join([*prefix, f"cluster/{cluster}"])


def _by_cluster(ids: Sequence[str], parents: Sequence[str] | None) -> dict[str, list[str]]:
    """{cluster ARN: the ids to ask it}: a new-format ARN goes to its own cluster, an old one to every parent."""
    found: dict[str, list[str]] = defaultdict(list)
    for arn in dict.fromkeys(ids):
        cluster = arn_cluster(arn)
        targets = [cluster_arn_for(arn, cluster)] if cluster else list(parents or [])
        for target in targets:
            found[target].append(arn)
    return found


def _tagged(items: list[dict[str, Any]], cluster_arn: str) -> Page:
    return [{**item, PARENT_KEY: cluster_arn} for item in items]


def _describe(client: Any, method: str, result_key: str, operation: str, **params: Any) -> list[dict[str, Any]]:
    """One Describe* call's items; a cluster that no longer exists (ClusterNotFoundException) has none."""
    try:
        with aws_errors(operation):
            return list(getattr(client, method)(**params).get(result_key, []))
    except AwsNotFound:
        return []


# --- Clusters -----------------------------------------------------------------------------------------------------


def cluster_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Clusters with statistics, settings and tags (ListClusters, then DescribeClusters by 100). `ids`: ARNs."""
    client = _ecs(account, region)
    arn_pages: Iterable[list[Any]] = (
        paginate(client, "list_clusters", "clusterArns", PaginationConfig={"PageSize": LIST_PAGE})
        if ids is None
        else [list(ids)]
    )
    for arns in arn_pages:
        for chunk in _chunks(arns, CLUSTER_CHUNK):
            found = _describe(
                client, "describe_clusters", "clusters", "DescribeClusters", clusters=chunk, include=CLUSTER_INCLUDE
            )
            yield [cluster for cluster in found if cluster.get("status") != "INACTIVE"]


# --- Task definitions ---------------------------------------------------------------------------------------------


def _latest_revisions(arns: list[str], keep: int) -> list[str]:
    """The `keep` highest revisions of each family among task definition ARNs (`...:task-definition/fam:rev`)."""
    families: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for arn in arns:
        family, _, revision = arn.rsplit("/", 1)[-1].rpartition(":")
        families[family].append((int(revision or 0), arn))
    latest = [arn for revisions in families.values() for _rev, arn in sorted(revisions, reverse=True)[:keep]]
    return sorted(latest)


def task_definition_describe(*, account: AccountRef, region: str, arn: str) -> dict[str, Any] | None:
    """One task definition with its tags under "tags" (DescribeTaskDefinition), or None when AWS does not know
    it (ClientException "Unable to describe task definition.")."""
    try:
        with aws_errors("DescribeTaskDefinition"):
            answer = _ecs(account, region).describe_task_definition(taskDefinition=arn, include=["TAGS"])
    except (AwsNotFound, AwsInvalidRequest):
        return None
    return {**answer["taskDefinition"], "tags": answer.get("tags") or []}


def task_definition_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, latest: int = LATEST_REVISIONS
) -> Iterator[Page]:
    """ACTIVE task definitions, the `latest` newest revisions of each family (ListTaskDefinitions, then one
    DescribeTaskDefinition each, a page per 100). `ids`: task definition ARNs, of any status."""
    if ids is None:
        client = _ecs(account, region)
        pages = paginate(
            client, "list_task_definitions", "taskDefinitionArns", status="ACTIVE",
            PaginationConfig={"PageSize": LIST_PAGE},
        )  # fmt: skip
        arns = _latest_revisions([str(arn) for page in pages for arn in page], latest)
    else:
        arns = list(dict.fromkeys(ids))
    for chunk in _chunks(arns, LIST_PAGE):
        found = (task_definition_describe(account=account, region=region, arn=arn) for arn in chunk)
        yield [item for item in found if item is not None]


# --- Per-cluster resources ----------------------------------------------------------------------------------------


def _per_cluster(
    *,
    account: AccountRef,
    region: str,
    ids: Sequence[str] | None,
    parents: Sequence[str] | None,
    lister: tuple[str, str],
    describer: tuple[str, str, str, int],
    params: dict[str, Any],
) -> Iterator[Page]:
    """List (or take `ids`) per cluster and describe in chunks; each item tagged with its cluster's ARN."""
    client = _ecs(account, region)
    list_method, list_key = lister
    method, result_key, list_param, chunk_size = describer
    targets = _by_cluster(ids, parents) if ids is not None else {arn: [] for arn in parents or []}
    for cluster_arn, named in targets.items():
        arn_pages: Iterable[list[Any]] = (
            paginate(client, list_method, list_key, cluster=cluster_arn, PaginationConfig={"PageSize": LIST_PAGE})
            if ids is None
            else [named]
        )
        try:
            for arns in arn_pages:
                for chunk in _chunks(arns, chunk_size):
                    operation = client.meta.method_to_api_mapping.get(method, method)
                    found = _describe(client, method, result_key, operation, cluster=cluster_arn, **params,
                                      **{list_param: chunk})  # fmt: skip
                    yield _tagged(found, cluster_arn)
        except AwsNotFound:  # the cluster was deleted since the clusters were read: it has nothing left
            continue


def container_instance_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, parents: Sequence[str] | None = None
) -> Iterator[Page]:
    """Container instances of each cluster (ListContainerInstances, DescribeContainerInstances by 100, with tags)."""
    return _per_cluster(
        account=account, region=region, ids=ids, parents=parents,
        lister=("list_container_instances", "containerInstanceArns"),
        describer=("describe_container_instances", "containerInstances", "containerInstances", INSTANCE_CHUNK),
        params={"include": ["TAGS"]},
    )  # fmt: skip


def service_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, parents: Sequence[str] | None = None
) -> Iterator[Page]:
    """Services of each cluster (ListServices, DescribeServices by 10, with tags); INACTIVE ones are left out."""
    pages = _per_cluster(
        account=account, region=region, ids=ids, parents=parents,
        lister=("list_services", "serviceArns"),
        describer=("describe_services", "services", "services", SERVICE_CHUNK),
        params={"include": ["TAGS"]},
    )  # fmt: skip
    for page in pages:
        yield [service for service in page if service.get("status") != "INACTIVE"]


def task_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, parents: Sequence[str] | None = None
) -> Iterator[Page]:
    """Tasks of each cluster (ListTasks: those whose desired status is RUNNING; DescribeTasks by 100, with tags).
    Named by `ids`, a STOPPED task is returned too."""
    return _per_cluster(
        account=account, region=region, ids=ids, parents=parents,
        lister=("list_tasks", "taskArns"),
        describer=("describe_tasks", "tasks", "tasks", TASK_CHUNK),
        params={"include": ["TAGS"]},
    )  # fmt: skip
