"""django-tables2 tables for the AWS Batch lists: every cell reads only the row and its account (joined by the
selector), so a page never issues a query per row."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from fleetui.core.tables import AccountRegionMixin, BadgeColumn, BaseTable, SelectColumn, TimeColumn, UrlColumn

from .models import JOB_STATUSES, ComputeEnvironment, Job, JobDefinition, JobQueue
from .selectors import compute_environment_url, job_queue_url, queue_url_of_job

STATUS_CLASSES = {
    "VALID": "ok",
    "CREATING": "info",
    "UPDATING": "info",
    "DELETING": "warn",
    "DELETED": "muted",
    "INVALID": "bad",
    "ENABLED": "ok",
    "DISABLED": "warn",
    "ACTIVE": "ok",
    "INACTIVE": "muted",
}
JOB_CLASSES = {
    "SUBMITTED": "muted",
    "PENDING": "muted",
    "RUNNABLE": "warn",
    "STARTING": "info",
    "RUNNING": "info",
    "SUCCEEDED": "ok",
    "FAILED": "bad",
}
RESOURCE_CLASSES = {"SPOT": "warn", "EC2": "info", "FARGATE": "muted", "FARGATE_SPOT": "warn"}


def status_kind(value: str, record: Any = None) -> str:
    return STATUS_CLASSES.get(value, "muted")


def job_kind(value: str, record: Any = None) -> str:
    return JOB_CLASSES.get(value, "muted")


def resource_kind(value: str, record: Any = None) -> str:
    return RESOURCE_CLASSES.get(value, "muted")


def vcpus_html(env: ComputeEnvironment) -> SafeString:
    """min / desired / max, the desired in bold; Fargate has only a maximum."""
    if env.min_vcpus is None and env.desired_vcpus is None:
        return format_html('<span class="muted">up to</span> {}', env.max_vcpus if env.max_vcpus is not None else "—")
    return format_html(
        '<span class="muted">{}</span> / <strong>{}</strong> / <span class="muted">{}</span>',
        env.min_vcpus, env.desired_vcpus, env.max_vcpus,
    )  # fmt: skip


def counts_html(queue: JobQueue) -> SafeString:
    """The queue's non-zero job counts as status badges, each linking to those jobs."""
    base = reverse("batch:job_list")
    scope = {"account": queue.account.account_id, "region": queue.region, "queue": queue.name}
    shown = [(status, queue.count(status)) for status in JOB_STATUSES if queue.count(status)]
    if not shown:
        return format_html('<span class="muted">{}</span>', "no jobs")
    return format_html_join(
        " ",
        '<a class="badge {}" href="{}?{}" title="{}">{} {}</a>',
        (
            (job_kind(status), base, urlencode({**scope, "status": status}), status, n, status.lower())
            for status, n in shown
        ),
    )


class ComputeEnvironmentTable(AccountRegionMixin, BaseTable):
    select = SelectColumn(accessor="compute_environment_arn")
    name = UrlColumn(verbose_name="Compute environment", url=compute_environment_url)
    resource_type = BadgeColumn(verbose_name="Resource", kind=resource_kind, empty_values=())
    state = BadgeColumn(kind=status_kind)
    status = BadgeColumn(kind=status_kind)
    desired_vcpus = tables.Column(
        verbose_name="vCPUs (min/desired/max)", empty_values=(), attrs={"td": {"class": "num"}}
    )
    instance_types = tables.Column(verbose_name="Instance types", orderable=False)
    allocation_strategy = tables.Column(verbose_name="Allocation")

    key_columns = ("name", "state", "status")
    wrap_columns = ("name",)

    class Meta(BaseTable.Meta):
        model = ComputeEnvironment
        fields: tuple[str, ...] = ()
        sequence = (
            "select", "name", "resource_type", "state", "status", "desired_vcpus", "instance_types",
            "allocation_strategy", "account", "region",
        )  # fmt: skip

    def render_resource_type(self, record: ComputeEnvironment) -> SafeString:
        value = record.resource_type or record.type
        return format_html('<span class="badge {}">{}</span>', resource_kind(value), value)

    def render_desired_vcpus(self, record: ComputeEnvironment) -> SafeString:
        return vcpus_html(record)

    def render_instance_types(self, value: list[str]) -> str:
        return ", ".join(value)


class JobQueueTable(AccountRegionMixin, BaseTable):
    name = UrlColumn(verbose_name="Job queue", url=job_queue_url)
    priority = tables.Column(attrs={"td": {"class": "num"}})
    state = BadgeColumn(kind=status_kind)
    status = BadgeColumn(kind=status_kind)
    compute_environment_order = tables.Column(verbose_name="Compute environments (in order)", orderable=False)
    job_counts = tables.Column(verbose_name="Jobs by status", orderable=False, empty_values=())

    key_columns = ("name", "state", "priority")
    wrap_columns = ("name", "compute_environment_order")

    class Meta(BaseTable.Meta):
        model = JobQueue
        fields: tuple[str, ...] = ()
        sequence = (
            "name", "priority", "state", "status", "compute_environment_order", "job_counts", "account", "region",
        )  # fmt: skip

    def render_compute_environment_order(self, record: JobQueue, value: list[dict[str, Any]]) -> SafeString:
        scope = [record.account.account_id, record.region]
        links = ((reverse("batch:compute_environment_detail", args=[*scope, e["name"]]), e["name"]) for e in value)
        return format_html_join(" → ", '<a href="{}">{}</a>', links)

    def render_job_counts(self, record: JobQueue) -> SafeString:
        return counts_html(record)


class JobDefinitionTable(AccountRegionMixin, BaseTable):
    name = tables.Column(verbose_name="Job definition")
    revision = tables.Column(attrs={"td": {"class": "num"}})
    type = tables.Column()
    platform_capabilities = tables.Column(verbose_name="Platform", orderable=False, empty_values=())
    image = tables.Column()
    vcpus = tables.Column(verbose_name="vCPUs", attrs={"td": {"class": "num"}})
    memory_mib = tables.Column(verbose_name="Memory (MiB)", attrs={"td": {"class": "num"}})

    key_columns = ("name", "revision", "type")
    wrap_columns = ("name", "image")

    class Meta(BaseTable.Meta):
        model = JobDefinition
        fields: tuple[str, ...] = ()
        sequence = (
            "name", "revision", "type", "platform_capabilities", "image", "vcpus", "memory_mib", "account", "region",
        )  # fmt: skip

    def render_platform_capabilities(self, value: list[str]) -> str:
        return ", ".join(value) or "EC2"

    def render_vcpus(self, value: Any) -> str:
        return f"{value.normalize():f}"


class JobTable(AccountRegionMixin, BaseTable):
    select = SelectColumn(accessor="job_id")
    name = tables.Column(verbose_name="Job")
    job_queue_name = UrlColumn(verbose_name="Queue", url=queue_url_of_job)
    status = BadgeColumn(kind=job_kind)
    status_reason = tables.Column(verbose_name="Reason", orderable=False)
    job_definition_name = tables.Column(verbose_name="Definition")
    created_at = TimeColumn(verbose_name="Created")
    started_at = TimeColumn(verbose_name="Started")
    stopped_at = TimeColumn(verbose_name="Stopped")

    default_columns = (
        "name",
        "job_queue_name",
        "status",
        "status_reason",
        "job_definition_name",
        "created_at",
        "stopped_at",
    )
    key_columns = ("name", "status", "job_queue_name")
    wrap_columns = ("name", "job_queue_name", "status_reason", "job_definition_name")

    class Meta(BaseTable.Meta):
        model = Job
        fields: tuple[str, ...] = ()
        sequence = (
            "select", "name", "job_queue_name", "status", "status_reason", "job_definition_name", "created_at",
            "started_at", "stopped_at", "account", "region",
        )  # fmt: skip

    def render_name(self, record: Job, value: str) -> SafeString:
        return format_html('{} <span class="muted small" title="Job id">{}</span>', value, record.job_id[:8])
