"""Elastic Beanstalk reads: the inventory's fetchers (one list of boto3's dicts per page) and live reads for actions.

Fetchers take an optional `ids` like the EC2 ones (a targeted re-sync after an action): application names,
application version ARNs, environment ids. Beanstalk's Describe* calls take lists of names/ids and simply return
fewer items for the ones that do not exist (no NotFound error), so ids go straight into the request.
`ids=[]` makes no call; `ids=None` fetches everything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import AwsNotFound, aws_errors
from .query import Query

Page = list[dict[str, Any]]
ID_CHUNK = 100  # DescribeEnvironments takes at most 100 EnvironmentIds per call.
EVENT_DAYS = 7  # "Recent" events: the last week, newest first.
EVENT_PAGE = 1000  # DescribeEvents' MaxRecords ceiling.


def _eb(account: AccountRef, region: str) -> Any:
    return client_get("elasticbeanstalk", account=account, region=region)


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), ID_CHUNK):
        yield unique[start : start + ID_CHUNK]


APPLICATIONS = Query(
    "elasticbeanstalk", "describe_applications", "Applications", id_param="ApplicationNames", chunk=ID_CHUNK
)


def application_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Applications (DescribeApplications is not paginated). `ids`: application names."""
    return APPLICATIONS.pages(account=account, region=region, ids=ids)


def version_arn_parts(arn: str) -> tuple[str, str]:
    """(application, label) of an application version ARN (…:applicationversion/<app>/<label>)."""
    path = arn.split(":applicationversion/", 1)[-1]
    application, _, label = path.partition("/")
    return application, label


def version_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Application versions of every application (DescribeApplicationVersions, paginated). `ids`: version ARNs."""
    client = _eb(account, region)
    if ids is None:
        yield from paginate(client, "describe_application_versions", "ApplicationVersions")
        return
    by_app: dict[str, list[str]] = defaultdict(list)
    for arn in ids:
        application, label = version_arn_parts(arn)
        by_app[application].append(label)
    for application, labels in sorted(by_app.items()):
        for chunk in _chunks(labels):
            yield from paginate(
                client, "describe_application_versions", "ApplicationVersions",
                ApplicationName=application, VersionLabels=chunk,
            )  # fmt: skip


def _resources(client: Any, environment: dict[str, Any]) -> dict[str, Any]:
    """DescribeEnvironmentResources of one environment, or {} when it is terminated (the call fails for those)."""
    if environment.get("Status") in ("Terminated", "Terminating"):
        return {}
    try:
        with aws_errors("DescribeEnvironmentResources"):
            answer = client.describe_environment_resources(EnvironmentId=environment["EnvironmentId"])
    except AwsNotFound:
        return {}
    return answer.get("EnvironmentResources", {})


def environment_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, resources: bool = True
) -> Iterator[Page]:
    """Live environments (DescribeEnvironments, IncludeDeleted false, so a terminated one is swept as gone), each
    with its DescribeEnvironmentResources answer under "Resources" (one call per environment) unless
    `resources=False`. `ids`: environment ids."""
    client = _eb(account, region)
    for chunk in [None] if ids is None else _chunks(ids):
        params: dict[str, Any] = {"IncludeDeleted": False}
        if chunk is not None:
            params["EnvironmentIds"] = chunk
        for page in paginate(client, "describe_environments", "Environments", **params):
            if resources:
                for environment in page:
                    environment["Resources"] = _resources(client, environment)
            yield page


def event_pages(
    *, account: AccountRef, region: str, ids: Sequence[str] | None = None, since: datetime | None = None
) -> Iterator[Page]:
    """Events of the region since `since` (default: the last EVENT_DAYS days), newest first (DescribeEvents).

    Events of one request often share a timestamp ("Swapping CNAMEs" and "Completed swapping CNAMEs"), and only
    AWS's order tells which came first: each event gets `SameTimeIndex`, its place among the events of its timestamp
    counted from the oldest (0), which a later event of the same time does not change. Events have no id, so `ids`
    cannot select them: a targeted re-sync reads the same window."""
    if ids is not None and not ids:
        return
    start = since or datetime.now(UTC) - timedelta(days=EVENT_DAYS)
    pages = paginate(
        _eb(account, region), "describe_events", "Events", StartTime=start, PaginationConfig={"PageSize": EVENT_PAGE}
    )
    events = [event for page in pages for event in page]
    seen: dict[Any, int] = defaultdict(int)
    for event in reversed(events):
        event["SameTimeIndex"] = seen[event.get("EventDate")]
        seen[event.get("EventDate")] += 1
    for first in range(0, len(events), EVENT_PAGE):
        yield events[first : first + EVENT_PAGE]


def environments_describe(*, account: AccountRef, region: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """{environment id: EnvironmentDescription} for the live environments among `ids` (no resources)."""
    return {
        raw["EnvironmentId"]: raw
        for page in environment_pages(account=account, region=region, ids=ids, resources=False)
        for raw in page
    }


def environment_events(
    *, account: AccountRef, region: str, environment_id: str, since: datetime
) -> list[dict[str, Any]]:
    """The environment's events since `since`, oldest first (for an action's step log)."""
    client = _eb(account, region)
    events = [
        event
        for page in paginate(client, "describe_events", "Events", EnvironmentId=environment_id, StartTime=since)
        for event in page
    ]
    # Reversed before the (stable) sort: events with the same timestamp keep the order they happened in.
    return sorted(reversed(events), key=lambda event: event["EventDate"])


def configuration_settings(*, account: AccountRef, region: str, application: str, environment_name: str) -> dict:
    """The environment's deployed configuration (DescribeConfigurationSettings): stack/platform and OptionSettings."""
    with aws_errors("DescribeConfigurationSettings"):
        answer = _eb(account, region).describe_configuration_settings(
            ApplicationName=application, EnvironmentName=environment_name
        )
    settings = answer.get("ConfigurationSettings") or [{}]
    return settings[0]


def environments_named(*, account: AccountRef, region: str, application: str, names: Sequence[str]) -> list[dict]:
    """The live environments of `application` with these names (DescribeEnvironments by name; none is an error)."""
    client = _eb(account, region)
    return [
        raw
        for page in paginate(
            client,
            "describe_environments",
            "Environments",
            ApplicationName=application,
            EnvironmentNames=list(names),
            IncludeDeleted=False,
        )
        for raw in page
    ]
