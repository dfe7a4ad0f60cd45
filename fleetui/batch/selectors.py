"""Reads of the AWS Batch inventory for the pages, the CSV exports, the API, the home page's panel and EC2's
instance page.

Each list is a `Selector` (fleetui.core.selectors). The detail selectors cost a fixed number of queries whatever the
number of queues, jobs or instances. A compute environment's instances are the EC2 instances (fleetui.ec2.links)
tagged `AWSBatchServiceTag=<environment name>`, as AWS Batch tags the instances it launches.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.urls import reverse

from fleetui.core.menu import Owner
from fleetui.core.selectors import Selector, with_account
from fleetui.ec2.links import Instance

from .filters import ComputeEnvironmentFilterSet, JobDefinitionFilterSet, JobFilterSet, JobQueueFilterSet
from .models import JOB_STATUSES, ComputeEnvironment, Job, JobDefinition, JobQueue

SERVICE_TAG = "AWSBatchServiceTag"
LATEST_JOBS = 25  # jobs on a queue's page

compute_environment_list = Selector(ComputeEnvironmentFilterSet, with_account(ComputeEnvironment))
job_queue_list = Selector(JobQueueFilterSet, with_account(JobQueue))
job_definition_list = Selector(JobDefinitionFilterSet, with_account(JobDefinition))
job_list = Selector(JobFilterSet, with_account(Job))


def compute_environment_url(row: Any) -> str:
    return reverse("batch:compute_environment_detail", args=[row.account.account_id, row.region, row.name])


def job_queue_url(row: Any) -> str:
    return reverse("batch:job_queue_detail", args=[row.account.account_id, row.region, row.name])


def queue_url_of_job(row: Any) -> str:
    return reverse("batch:job_queue_detail", args=[row.account.account_id, row.region, row.job_queue_name])


def console_url(*, region: str, kind: str, arn: str) -> str:
    """The AWS Batch console's page of a resource (`compute-environments`, `queues`, `jobs`, `job-definition`)."""
    return f"https://{region}.console.aws.amazon.com/batch/home?region={region}#{kind}/detail/{arn}"


def _latest(queryset: Any) -> Any:
    """Of several rows of that name (deleted and re-created), the live one, else the newest."""
    return queryset.select_related("account").order_by(F("gone_at").desc(nulls_first=True), "-last_seen").first()


@dataclass
class ComputeEnvironmentDetail:
    environment: ComputeEnvironment
    queues: list[JobQueue]  # the live queues that use it, by priority
    instances: list[Instance]  # its instances in the EC2 inventory, live and running first
    console_url: str

    @property
    def running_instances(self) -> int:
        return sum(1 for i in self.instances if i.gone_at is None and i.state == "running")


def compute_environment_detail(*, account_id: str, region: str, name: str) -> ComputeEnvironmentDetail:
    """One compute environment with the queues that use it and its EC2 instances (3 queries). Raises
    ComputeEnvironment.DoesNotExist when none of that name was ever synced."""
    row = _latest(ComputeEnvironment.objects.filter(account__account_id=account_id, region=region, name=name))
    if row is None:
        raise ComputeEnvironment.DoesNotExist(f"No compute environment {name}")
    queues = JobQueue.objects.filter(
        account=row.account,
        region=region,
        gone_at__isnull=True,
        compute_environment_order__contains=[{"compute_environment_arn": row.compute_environment_arn}],
    )
    instances = Instance.objects.filter(account=row.account, region=region, tags__contains={SERVICE_TAG: name}).only(
        "account", "region", "instance_id", "name", "state", "instance_type_id", "availability_zone", "lifecycle",
        "launch_time", "gone_at", "tags",
    )  # fmt: skip
    return ComputeEnvironmentDetail(
        environment=row,
        queues=list(queues.order_by("-priority", "name")),
        instances=sorted(instances, key=lambda i: (i.gone_at is not None, i.state != "running", i.instance_id)),
        console_url=console_url(region=region, kind="compute-environments", arn=row.compute_environment_arn),
    )


@dataclass
class JobQueueDetail:
    queue: JobQueue
    environments: list[tuple[int, str, ComputeEnvironment | None]]  # (order, name, its row if synced)
    counts: list[tuple[str, int]]  # by status, in lifecycle order
    jobs: list[Job]  # the latest LATEST_JOBS
    console_url: str


def job_queue_detail(*, account_id: str, region: str, name: str) -> JobQueueDetail:
    """One job queue with its compute environments in order, its job counts and latest jobs (3 queries). Raises
    JobQueue.DoesNotExist when none of that name was ever synced."""
    row = _latest(JobQueue.objects.filter(account__account_id=account_id, region=region, name=name))
    if row is None:
        raise JobQueue.DoesNotExist(f"No job queue {name}")
    arns = [entry["compute_environment_arn"] for entry in row.compute_environment_order]
    envs = {
        env.compute_environment_arn: env
        for env in ComputeEnvironment.objects.filter(
            account=row.account, region=region, compute_environment_arn__in=arns
        ).select_related("account")
    }
    jobs = Job.objects.filter(account=row.account, region=region, job_queue_arn=row.job_queue_arn, gone_at__isnull=True)
    return JobQueueDetail(
        queue=row,
        environments=[
            (entry["order"], entry["name"], envs.get(entry["compute_environment_arn"]))
            for entry in row.compute_environment_order
        ],
        counts=[(status, row.count(status)) for status in JOB_STATUSES],
        jobs=list(jobs.select_related("account").order_by(F("created_at").desc(nulls_last=True))[:LATEST_JOBS]),
        console_url=console_url(region=region, kind="queues", arn=row.job_queue_arn),
    )


def instance_owners(*, account: Any, region: str, ids: Sequence[str]) -> dict[str, list[Owner]]:
    """{instance id: the compute environment that launched it} for an EC2 instance's page (two queries)."""
    tags = dict(
        Instance.objects.filter(
            account=account, region=region, instance_id__in=list(ids), tags__has_key=SERVICE_TAG
        ).values_list("instance_id", "tags")
    )
    if not tags:
        return {}
    names = {instance_tags[SERVICE_TAG] for instance_tags in tags.values()}
    envs = {
        env.name: env
        for env in ComputeEnvironment.objects.filter(
            account=account, region=region, name__in=names, gone_at__isnull=True
        ).select_related("account")
    }
    found: dict[str, list[Owner]] = {}
    for instance_id, instance_tags in tags.items():
        env = envs.get(instance_tags[SERVICE_TAG])
        if env is not None:
            found[instance_id] = [Owner("AWS Batch compute environment", env.name, compute_environment_url(env))]
    return found


@dataclass
class BatchOverview:
    """The home page's Batch panel: jobs by status (AWS's counts over the live queues) and environment findings."""

    jobs_by_status: list[tuple[str, int]]
    queues: int
    environments: int
    invalid: int
    disabled: int

    @property
    def active_jobs(self) -> int:
        return sum(n for status, n in self.jobs_by_status if status not in ("SUCCEEDED", "FAILED"))

    def count(self, status: str) -> int:
        return dict(self.jobs_by_status).get(status, 0)

    @property
    def running(self) -> int:
        return self.count("RUNNING")

    @property
    def starting(self) -> int:
        return self.count("STARTING")

    @property
    def runnable(self) -> int:
        return self.count("RUNNABLE")

    @property
    def waiting(self) -> int:
        return self.count("SUBMITTED") + self.count("PENDING")

    @property
    def succeeded(self) -> int:
        return self.count("SUCCEEDED")

    @property
    def failed(self) -> int:
        return self.count("FAILED")


def batch_overview() -> BatchOverview:
    """Live queues and environments of enabled accounts (3 queries)."""
    totals: Counter[str] = Counter()
    counts = JobQueue.objects.filter(gone_at__isnull=True, account__enabled=True).values_list("job_counts", flat=True)
    queues = 0
    for job_counts in counts:
        queues += 1
        totals.update({status: int(n) for status, n in (job_counts or {}).items()})
    envs = ComputeEnvironment.objects.filter(gone_at__isnull=True, account__enabled=True)
    by_finding = envs.aggregate(
        total=Count("pk"),
        invalid=Count("pk", filter=Q(status="INVALID")),
        disabled=Count("pk", filter=Q(state="DISABLED")),
    )
    return BatchOverview(
        jobs_by_status=[(status, totals.get(status, 0)) for status in JOB_STATUSES],
        queues=queues,
        environments=by_finding["total"],
        invalid=by_finding["invalid"],
        disabled=by_finding["disabled"],
    )


def instances_owned() -> Q:
    """The EC2 instances Batch launched for a compute environment (it tags them AWSBatchServiceTag)."""
    return Q(tags__has_key=SERVICE_TAG)
