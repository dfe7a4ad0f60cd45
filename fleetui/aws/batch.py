"""AWS Batch reads: the inventory's fetchers, one list of boto3's dicts per page.

- Compute environments and job queues: DescribeComputeEnvironments / DescribeJobQueues, paginated (100 a page);
  `ids` (ARNs) are asked by name, 100 a call. Each queue also carries its job counts by status under
  JOB_COUNTS_KEY: one ListJobs per status (1,000 ids a page), counted over every page, so the counts are AWS's
  whole figures and not only the jobs the inventory keeps.
- Job definitions: DescribeJobDefinitions status=ACTIVE, keeping the latest revision of each name (a name may hold
  hundreds of revisions; the pages show what runs now). `ids`: job definition ARNs, of any revision and status;
  an INACTIVE (deregistered) one is not returned, so the sync marks it gone.
- Jobs, per queue (`parents`: the queues' ARNs): ListJobs per status, newest first as AWS lists them, the first
  JOBS_PER_STATUS of each status, then DescribeJobs by 100. AWS lists a finished job for about a week; the
  inventory keeps the latest JOBS_PER_STATUS per queue and status, so a busy queue's old finished jobs are marked
  gone when newer ones push them out. `ids`: job ids; a job AWS no longer knows is simply not returned.

A queue deleted between the queues' read and its jobs' read answers ClientException ("does not exist"): it has no
jobs left, and the next queues' sync marks it gone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import AwsInvalidRequest, AwsNotFound, aws_errors
from .query import PARENT_KEY, Page

DESCRIBE_CHUNK = 100  # DescribeComputeEnvironments, DescribeJobQueues, DescribeJobs: at most 100 per call.
LIST_PAGE = 100  # The Describe* calls' maxResults ceiling.
COUNT_PAGE = 1000  # ListJobs' maxResults ceiling, for counting.
JOBS_PER_STATUS = 100  # Jobs kept per queue and status.
JOB_STATUSES = ("SUBMITTED", "PENDING", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED", "FAILED")
JOB_COUNTS_KEY = "FleetuiJobCounts"


def _batch(account: AccountRef, region: str) -> Any:
    return client_get("batch", account=account, region=region)


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    unique = list(dict.fromkeys(items))
    for start in range(0, len(unique), size):
        yield unique[start : start + size]


def _described(client: Any, method: str, result_key: str, name_param: str, ids: Sequence[str] | None) -> Iterator[Page]:
    if ids is None:
        yield from paginate(client, method, result_key, PaginationConfig={"PageSize": LIST_PAGE})
        return
    for chunk in _chunks(ids, DESCRIBE_CHUNK):
        yield from paginate(client, method, result_key, **{name_param: chunk})


def compute_environment_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Compute environments (DescribeComputeEnvironments). `ids`: their ARNs."""
    client = _batch(account, region)
    yield from _described(client, "describe_compute_environments", "computeEnvironments", "computeEnvironments", ids)


def job_counts(*, account: AccountRef, region: str, queue: str) -> dict[str, int]:
    """{status: jobs} of one queue (ListJobs per status, every page). Empty when the queue is gone."""
    client = _batch(account, region)
    counts: dict[str, int] = {}
    try:
        for status in JOB_STATUSES:
            pages = paginate(
                client, "list_jobs", "jobSummaryList", jobQueue=queue, jobStatus=status,
                PaginationConfig={"PageSize": COUNT_PAGE},
            )  # fmt: skip
            counts[status] = sum(len(page) for page in pages)
    except (AwsNotFound, AwsInvalidRequest):
        return {}
    return counts


def job_queue_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """Job queues (DescribeJobQueues), each with its job counts by status under JOB_COUNTS_KEY. `ids`: ARNs."""
    client = _batch(account, region)
    for page in _described(client, "describe_job_queues", "jobQueues", "jobQueues", ids):
        yield [
            {**queue, JOB_COUNTS_KEY: job_counts(account=account, region=region, queue=queue["jobQueueArn"])}
            for queue in page
        ]


def _latest_revisions(definitions: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    latest: dict[str, dict[str, Any]] = {}
    for item in definitions:
        name = str(item.get("jobDefinitionName", ""))
        if name not in latest or int(item.get("revision", 0)) > int(latest[name].get("revision", 0)):
            latest[name] = item
    return [latest[name] for name in sorted(latest)]


def job_definition_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """The latest ACTIVE revision of each job definition (DescribeJobDefinitions status=ACTIVE, every page, then
    one page per 100). `ids`: job definition ARNs, as named; INACTIVE ones are left out."""
    client = _batch(account, region)
    if ids is None:
        pages = paginate(
            client, "describe_job_definitions", "jobDefinitions", status="ACTIVE",
            PaginationConfig={"PageSize": LIST_PAGE},
        )  # fmt: skip
        found = _latest_revisions(item for page in pages for item in page)
    else:
        found = [
            item
            for page in _described(client, "describe_job_definitions", "jobDefinitions", "jobDefinitions", ids)
            for item in page
            if item.get("status") == "ACTIVE"
        ]
    for start in range(0, len(found), LIST_PAGE):
        yield found[start : start + LIST_PAGE]


def _listed_ids(client: Any, queue: str, keep: int) -> list[str]:
    """The newest `keep` job ids of each status in one queue; none when the queue is gone."""
    found: list[str] = []
    try:
        for status in JOB_STATUSES:
            pages = paginate(
                client, "list_jobs", "jobSummaryList", jobQueue=queue, jobStatus=status,
                PaginationConfig={"MaxItems": keep, "PageSize": min(keep, LIST_PAGE)},
            )  # fmt: skip
            found += [str(job["jobId"]) for page in pages for job in page][:keep]
    except (AwsNotFound, AwsInvalidRequest):
        return []
    return found


def _describe_jobs(client: Any, job_ids: Iterable[str]) -> Iterator[Page]:
    for chunk in _chunks(job_ids, DESCRIBE_CHUNK):
        with aws_errors("DescribeJobs"):
            yield list(client.describe_jobs(jobs=chunk).get("jobs", []))


def job_pages(
    *,
    account: AccountRef,
    region: str,
    ids: Sequence[str] | None = None,
    parents: Sequence[str] | None = None,
    keep: int = JOBS_PER_STATUS,
) -> Iterator[Page]:
    """Jobs of each parent queue (see the module docstring), each tagged with its queue's ARN. `ids`: job ids."""
    client = _batch(account, region)
    if ids is not None:
        for page in _describe_jobs(client, ids):
            yield [{**job, PARENT_KEY: job.get("jobQueue", "")} for job in page]
        return
    for queue in parents or []:
        for page in _describe_jobs(client, _listed_ids(client, queue, keep)):
            yield [{**job, PARENT_KEY: queue} for job in page]
