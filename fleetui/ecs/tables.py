"""django-tables2 tables for the ECS lists (cells by `render_*` methods, as in fleetui.ec2.tables: every column
reads only the row, its account and what the selector annotated, so a page never issues a query per row)."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from fleetui.core.tables import (
    AccountRegionMixin,
    BaseTable,
    CopyColumn,
    SelectColumn,
    TimeColumn,
    badge,
)

from .models import Cluster, ContainerInstance, Service, Task, TaskDefinition

STATUS_CLASSES = {
    "ACTIVE": "ok", "RUNNING": "ok", "COMPLETED": "ok", "PENDING": "info", "PROVISIONING": "info",
    "ACTIVATING": "info", "IN_PROGRESS": "info", "DRAINING": "warn", "DEACTIVATING": "warn", "STOPPING": "warn",
    "DEPROVISIONING": "warn", "STOPPED": "muted", "INACTIVE": "muted", "FAILED": "bad",
}  # fmt: skip
CAPACITY_CLASSES = {"FARGATE": "info", "FARGATE_SPOT": "warn", "EC2": "plain", "EXTERNAL": "muted"}


def status_html(value: str) -> SafeString:
    return badge(value, STATUS_CLASSES.get(value, "muted"))


def cluster_url(record: Any, cluster_name: str | None = None) -> str:
    name = cluster_name or record.cluster_name
    return reverse("ecs:cluster_detail", args=[record.account.account_id, record.region, name])


def service_url(record: Any, service_name: str | None = None) -> str:
    name = service_name or record.service_name
    return reverse("ecs:service_detail", args=[record.account.account_id, record.region, record.cluster_name, name])


def instance_url(record: Any, instance_id: str) -> str:
    return reverse("ec2:instance_detail", args=[record.account.account_id, record.region, instance_id])


def capacity_html(service: Service) -> SafeString:
    """The launch type, or the strategy's providers with their weights (and base)."""
    if not service.capacity_provider_strategy:
        return badge(service.launch_type or "—", CAPACITY_CLASSES.get(service.launch_type, "muted"))
    return format_html_join(
        " ",
        '{} <span class="muted small">x{}{}</span>',
        (
            (badge(item["capacityProvider"], CAPACITY_CLASSES.get(item["capacityProvider"], "plain")), item["weight"],
             f" base {item['base']}" if item.get("base") else "")
            for item in service.capacity_provider_strategy
        ),
    )  # fmt: skip


def findings_html(service: Service) -> SafeString:
    return format_html_join(" ", '<span class="badge bad finding">{}</span>', ((f,) for f in service.findings))


def definition_label(arn: str) -> str:
    """ "family:revision" of a task definition ARN."""
    return arn.rsplit("/", 1)[-1]


class ClusterTable(AccountRegionMixin, BaseTable):
    cluster_name = tables.Column(verbose_name="Cluster")
    status = tables.Column()
    capacity_providers = tables.Column(verbose_name="Capacity providers", orderable=False)
    active_services_count = tables.Column(verbose_name="Services", attrs={"td": {"class": "num"}})
    running_tasks_count = tables.Column(verbose_name="Running", attrs={"td": {"class": "num"}})
    pending_tasks_count = tables.Column(verbose_name="Pending", attrs={"td": {"class": "num"}})
    container_instances_count = tables.Column(verbose_name="Instances", attrs={"td": {"class": "num"}})

    key_columns = ("cluster_name", "status", "running_tasks_count")
    wrap_columns = ("cluster_name",)

    class Meta(BaseTable.Meta):
        model = Cluster
        fields: tuple[str, ...] = ()
        sequence = (
            "cluster_name", "status", "capacity_providers", "active_services_count", "running_tasks_count",
            "pending_tasks_count", "container_instances_count", "account", "region",
        )  # fmt: skip

    def render_cluster_name(self, record: Cluster) -> SafeString:
        return format_html('<a href="{}">{}</a>', cluster_url(record), record.cluster_name)

    def render_status(self, value: str) -> SafeString:
        return status_html(value)

    def render_capacity_providers(self, record: Cluster) -> SafeString:
        default = {item["capacityProvider"] for item in record.default_strategy}
        return format_html_join(
            " ", "{}{}", ((badge(name, CAPACITY_CLASSES.get(name, "plain")), "*" if name in default else "")
                          for name in record.capacity_providers)
        )  # fmt: skip

    def _link(self, record: Cluster, value: int, url_name: str, **query: str) -> SafeString:
        params = {"account": record.account.account_id, "region": record.region, "cluster": record.cluster_name}
        return format_html('<a href="{}?{}">{}</a>', reverse(url_name), urlencode({**params, **query}), value)

    def render_active_services_count(self, record: Cluster, value: int) -> SafeString:
        return self._link(record, value, "ecs:service_list")

    def render_running_tasks_count(self, record: Cluster, value: int) -> SafeString:
        return self._link(record, value, "ecs:task_list", last_status="RUNNING")

    def render_container_instances_count(self, record: Cluster, value: int) -> SafeString:
        return self._link(record, value, "ecs:container_instance_list")


class ServiceTable(AccountRegionMixin, BaseTable):
    select = SelectColumn(accessor="service_arn")
    service_name = tables.Column(verbose_name="Service")
    cluster_name = tables.Column(verbose_name="Cluster")
    # empty_values=(): a service with a strategy has no launch type, and its strategy must still render.
    capacity = tables.Column(
        verbose_name="Capacity", accessor="launch_type", order_by=("launch_type",), empty_values=()
    )
    running_count = tables.Column(verbose_name="Running / desired", attrs={"td": {"class": "num"}})
    pending_count = tables.Column(verbose_name="Pending", attrs={"td": {"class": "num"}})
    rollout_state = tables.Column(verbose_name="Rollout")
    task_definition = tables.Column(verbose_name="Task definition")
    created_at = TimeColumn(verbose_name="Created")

    default_columns = ("service_name", "cluster_name", "capacity", "running_count", "rollout_state", "created_at")
    key_columns = ("service_name", "running_count", "rollout_state")
    wrap_columns = ("service_name", "cluster_name")

    class Meta(BaseTable.Meta):
        model = Service
        fields: tuple[str, ...] = ()
        sequence = (
            "select", "service_name", "cluster_name", "capacity", "running_count", "pending_count", "rollout_state",
            "task_definition", "created_at", "account", "region",
        )  # fmt: skip

    def render_service_name(self, record: Service) -> SafeString:
        return format_html('<a href="{}">{}</a> {}', service_url(record), record.service_name, findings_html(record))

    def render_cluster_name(self, record: Service) -> SafeString:
        return format_html('<a href="{}">{}</a>', cluster_url(record), record.cluster_name)

    def render_capacity(self, record: Service) -> SafeString:
        return capacity_html(record)

    def render_running_count(self, record: Service) -> SafeString:
        kind = "bad" if record.below_desired else "ok"
        return format_html('<span class="badge {}">{} / {}</span>', kind, record.running_count, record.desired_count)

    def render_rollout_state(self, value: str) -> SafeString:
        return status_html(value)

    def render_task_definition(self, value: str) -> str:
        return definition_label(value)


class TaskTable(AccountRegionMixin, BaseTable):
    select = SelectColumn(accessor="task_arn")
    task_arn = tables.Column(verbose_name="Task")
    group = tables.Column(verbose_name="Service / group")
    cluster_name = tables.Column(verbose_name="Cluster")
    last_status = tables.Column(verbose_name="Status", order_by=("last_status", "desired_status"))
    launch_type = tables.Column(verbose_name="Capacity", order_by=("launch_type", "capacity_provider_name"))
    cpu = tables.Column(verbose_name="CPU", attrs={"td": {"class": "num"}})
    memory = tables.Column(verbose_name="Memory", attrs={"td": {"class": "num"}})
    ec2_instance_id = tables.Column(verbose_name="Container instance", order_by=("container_instance_arn",))
    task_definition_arn = tables.Column(verbose_name="Task definition")
    started_at = TimeColumn(verbose_name="Started")

    default_columns = (
        "task_arn",
        "group",
        "cluster_name",
        "last_status",
        "launch_type",
        "ec2_instance_id",
        "started_at",
    )
    key_columns = ("task_arn", "last_status", "group")
    wrap_columns = ("group", "cluster_name")

    class Meta(BaseTable.Meta):
        model = Task
        fields: tuple[str, ...] = ()
        sequence = (
            "select", "task_arn", "group", "cluster_name", "last_status", "launch_type", "cpu", "memory",
            "ec2_instance_id", "task_definition_arn", "started_at", "account", "region",
        )  # fmt: skip

    def render_task_arn(self, record: Task) -> SafeString:
        return format_html('<code class="small" title="{}">{}</code>', record.task_arn, record.task_id[:12])

    def render_group(self, record: Task) -> SafeString | str:
        if record.service_name:
            return format_html('<a href="{}">{}</a>', service_url(record, record.service_name), record.service_name)
        return record.group

    def render_cluster_name(self, record: Task) -> SafeString:
        return format_html('<a href="{}">{}</a>', cluster_url(record), record.cluster_name)

    def render_last_status(self, record: Task) -> SafeString:
        stopping = record.desired_status != record.last_status and record.desired_status == "STOPPED"
        arrow = format_html(' <span class="muted small">→ {}</span>', record.desired_status) if stopping else ""
        return format_html("{}{}", status_html(record.last_status), arrow)

    def render_launch_type(self, record: Task) -> SafeString:
        return badge(record.capacity, CAPACITY_CLASSES.get(record.capacity, "plain"))

    def render_ec2_instance_id(self, record: Any, value: str) -> SafeString:
        return format_html('<a href="{}">{}</a>', instance_url(record, value), value)

    def render_task_definition_arn(self, value: str) -> str:
        return definition_label(value)


class TaskDefinitionTable(AccountRegionMixin, BaseTable):
    family = tables.Column(verbose_name="Task definition", order_by=("family", "revision"))
    status = tables.Column()
    compatibilities = tables.Column(orderable=False)
    cpu = tables.Column(verbose_name="CPU", attrs={"td": {"class": "num"}})
    memory = tables.Column(verbose_name="Memory", attrs={"td": {"class": "num"}})
    network_mode = tables.Column(verbose_name="Network")
    containers = tables.Column(verbose_name="Images", orderable=False)
    registered_at = TimeColumn(verbose_name="Registered")

    default_columns = ("family", "status", "compatibilities", "cpu", "memory", "network_mode", "registered_at")
    key_columns = ("family", "status")
    wrap_columns = ("family",)

    class Meta(BaseTable.Meta):
        model = TaskDefinition
        fields: tuple[str, ...] = ()
        sequence = (
            "family", "status", "compatibilities", "cpu", "memory", "network_mode", "containers", "registered_at",
            "account", "region",
        )  # fmt: skip

    def render_family(self, record: TaskDefinition) -> SafeString:
        return format_html("<strong>{}</strong>:{}", record.family, record.revision)

    def render_status(self, value: str) -> SafeString:
        return status_html(value)

    def render_compatibilities(self, value: list[str]) -> SafeString:
        return format_html_join(" ", "{}", ((badge(name, CAPACITY_CLASSES.get(name, "plain")),) for name in value))

    def render_containers(self, record: TaskDefinition) -> SafeString:
        return format_html_join(", ", '<code class="small">{}</code>', ((image,) for image in record.images))


class ContainerInstanceTable(AccountRegionMixin, BaseTable):
    ec2_instance_id = tables.Column(verbose_name="EC2 instance")
    cluster_name = tables.Column(verbose_name="Cluster")
    status = tables.Column()
    agent_connected = tables.Column(verbose_name="Agent")
    running_tasks_count = tables.Column(verbose_name="Tasks", attrs={"td": {"class": "num"}})
    instance_type = tables.Column(verbose_name="Type")
    availability_zone = tables.Column(verbose_name="AZ")
    cpu_remaining = tables.Column(verbose_name="CPU free", attrs={"td": {"class": "num"}})
    memory_remaining = tables.Column(verbose_name="Memory free (MiB)", attrs={"td": {"class": "num"}})
    container_instance_arn = CopyColumn(verbose_name="ARN", orderable=False)
    registered_at = TimeColumn(verbose_name="Registered")

    default_columns = (
        "ec2_instance_id",
        "cluster_name",
        "status",
        "agent_connected",
        "running_tasks_count",
        "instance_type",
        "registered_at",
    )
    key_columns = ("ec2_instance_id", "status", "cluster_name")
    wrap_columns = ("cluster_name",)

    class Meta(BaseTable.Meta):
        model = ContainerInstance
        fields: tuple[str, ...] = ()
        sequence = (
            "ec2_instance_id", "cluster_name", "status", "agent_connected", "running_tasks_count", "instance_type",
            "availability_zone", "cpu_remaining", "memory_remaining", "registered_at", "account", "region",
            "container_instance_arn",
        )  # fmt: skip

    def render_ec2_instance_id(self, record: ContainerInstance, value: str) -> SafeString:
        return format_html('<a href="{}">{}</a>', instance_url(record, value), value)

    def render_cluster_name(self, record: ContainerInstance) -> SafeString:
        return format_html('<a href="{}">{}</a>', cluster_url(record), record.cluster_name)

    def render_status(self, value: str) -> SafeString:
        return status_html(value)

    def render_agent_connected(self, value: bool) -> SafeString:
        return badge("connected", "ok") if value else badge("disconnected", "bad")

    def render_cpu_remaining(self, record: ContainerInstance) -> str:
        return f"{record.cpu_remaining} / {record.cpu_registered}"

    def render_memory_remaining(self, record: ContainerInstance) -> str:
        return f"{record.memory_remaining} / {record.memory_registered}"

    def render_container_instance_arn(self, value: str) -> SafeString:
        return format_html('<code class="small" title="{}">{}</code>', value, value.rsplit("/", 1)[-1][:12])
