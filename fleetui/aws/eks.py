"""EKS reads: the inventory's fetchers (one list of boto3's dicts per page).

EKS lists names only (ListClusters, ListNodegroups, ListFargateProfiles, ListAddons, all paginated), so every item
is then described (Describe*), one call each. Nodegroups, Fargate profiles and add-ons are read per cluster: their
fetchers get `parents` = the clusters' ARNs (the sync's parent keys) and tag each item with it under PARENT_KEY.

`ids` (a targeted re-sync after an action) are the resources' ARNs; the cluster (and the nodegroup's name) comes
from the ARN, e.g. `arn:aws:eks:<region>:<account>:nodegroup/<cluster>/<nodegroup>/<uuid>`. A named resource that
no longer exists (ResourceNotFoundException) is simply not returned, so the sync marks it gone; `ids=[]` makes no
call; `ids=None` reads everything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import AwsNotFound, aws_errors
from .query import PARENT_KEY

Page = list[dict[str, Any]]
PAGE = 50  # items described per yielded page


def _eks(account: AccountRef, region: str) -> Any:
    return client_get("eks", account=account, region=region)


def arn_path(arn: str) -> list[str]:
    """The parts after the resource type of an EKS ARN: `cluster/<name>` -> [name];
    `nodegroup/<cluster>/<name>/<uuid>` -> [cluster, name, uuid]."""
    resource = arn.split(":", 5)[-1]
    return resource.split("/")[1:]


def cluster_arn_for(*, arn: str, cluster: str) -> str:
    """The ARN of `cluster` in the account and region of another EKS ARN (a child's ARN names its cluster)."""
    prefix = arn.split(":", 5)[:5]
    return ":".join([*prefix, f"cluster/{cluster}"])


def _described(client: Any, operation: str, call: Callable[[], dict[str, Any]], key: str) -> dict[str, Any] | None:
    """One Describe* answer's item, or None when it is gone (deleted between the list and the describe)."""
    try:
        with aws_errors(operation):
            return dict(call()[key])
    except AwsNotFound:
        return None


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


def cluster_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Clusters (ListClusters, then DescribeCluster each). `ids`: cluster ARNs."""
    client = _eks(account, region)
    names: list[str]
    if ids is None:
        names = [str(name) for page in paginate(client, "list_clusters", "clusters") for name in page]
    else:
        names = list(dict.fromkeys(arn_path(arn)[0] for arn in ids))

    def described() -> Iterator[dict[str, Any] | None]:
        for name in names:
            yield _described(client, "DescribeCluster", partial(client.describe_cluster, name=name), "cluster")

    yield from _pages(described())


# (list method, its result key, describe method, its name parameter, its result key)
_CHILDREN = {
    "nodegroup": ("list_nodegroups", "nodegroups", "describe_nodegroup", "nodegroupName", "nodegroup"),
    "fargateprofile": (
        "list_fargate_profiles", "fargateProfileNames", "describe_fargate_profile", "fargateProfileName",
        "fargateProfile",
    ),
    "addon": ("list_addons", "addons", "describe_addon", "addonName", "addon"),
}  # fmt: skip


def _child_pages(
    kind: str, account: AccountRef, region: str, ids: Sequence[str] | None, parents: Sequence[str] | None
) -> Iterator[Page]:
    list_method, list_key, describe_method, name_param, result_key = _CHILDREN[kind]
    client = _eks(account, region)
    operation = client.meta.method_to_api_mapping[describe_method]
    if ids is None:
        wanted = [
            (parent, name)
            for parent in parents or []
            for page in _listed(client, list_method, list_key, arn_path(parent)[0])
            for name in page
        ]
    else:
        wanted = [(cluster_arn_for(arn=arn, cluster=arn_path(arn)[0]), arn_path(arn)[1]) for arn in dict.fromkeys(ids)]

    def described() -> Iterator[dict[str, Any] | None]:
        for parent, name in wanted:
            call = partial(getattr(client, describe_method), clusterName=arn_path(parent)[0], **{name_param: name})
            item = _described(client, operation, call, result_key)
            yield None if item is None else {**item, PARENT_KEY: parent}

    yield from _pages(described())


def _listed(client: Any, method: str, key: str, cluster: str) -> Iterator[list[Any]]:
    """The names of one cluster's children; none when the cluster went away since it was listed."""
    try:
        yield from paginate(client, method, key, clusterName=cluster)
    except AwsNotFound:
        return


def nodegroup_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, parents: Sequence[str] | None = None
) -> Iterator[Page]:
    """Managed nodegroups of each parent cluster (ListNodegroups, DescribeNodegroup). `ids`: nodegroup ARNs."""
    return _child_pages("nodegroup", account, region, ids, parents)


def fargate_profile_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, parents: Sequence[str] | None = None
) -> Iterator[Page]:
    """Fargate profiles of each parent cluster. `ids`: Fargate profile ARNs."""
    return _child_pages("fargateprofile", account, region, ids, parents)


def addon_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, parents: Sequence[str] | None = None
) -> Iterator[Page]:
    """Add-ons of each parent cluster (ListAddons, DescribeAddon). `ids`: add-on ARNs."""
    return _child_pages("addon", account, region, ids, parents)
