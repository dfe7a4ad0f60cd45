"""django-tables2 tables for the Beanstalk lists (cells by `render_*` methods, as in fleetui.ec2.tables:
every column reads only the row and its account, so a page never issues a query per row)."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from fleetui.core.tables import (
    AccountRegionMixin,
    BadgeColumn,
    BaseTable,
    CodeColumn,
    CopyColumn,
    TimeColumn,
    UrlColumn,
    badge,
)

from .models import ApplicationVersion, BeanstalkApplication, Environment

HEALTH_CLASSES = {"Green": "ok", "Yellow": "warn", "Red": "bad", "Grey": "muted"}
STATUS_CLASSES = {"Ready": "ok", "Launching": "info", "Updating": "info", "Terminating": "warn", "Terminated": "bad"}


def health_html(health: str, health_status: str = "") -> SafeString:
    """The health colour as a badge, with the enhanced-health status next to it when there is one."""
    if not health_status:
        return badge(health, HEALTH_CLASSES.get(health, "muted"))
    return format_html(
        '{} <span class="muted">{}</span>', badge(health, HEALTH_CLASSES.get(health, "muted")), health_status
    )


def status_html(status: str) -> SafeString:
    return badge(status, STATUS_CLASSES.get(status, "muted"))


def application_url(record: Any, application: str | None = None) -> str:
    name = application or record.application_name
    return reverse("beanstalk:application_detail", args=[record.account.account_id, record.region, name])


def environment_url(record: Environment) -> str:
    return reverse(
        "beanstalk:environment_detail", args=[record.account.account_id, record.region, record.environment_id]
    )


class ApplicationTable(AccountRegionMixin, BaseTable):
    application_name = UrlColumn(verbose_name="Application", url=lambda r: application_url(r))
    description = tables.Column()
    environment_count = tables.Column(verbose_name="Environments", attrs={"td": {"class": "num"}})
    version_labels = tables.Column(verbose_name="Versions", orderable=False)
    date_updated = TimeColumn(verbose_name="Updated")

    key_columns = ("application_name", "environment_count")
    wrap_columns = ("application_name", "description", "version_labels")

    class Meta(BaseTable.Meta):
        model = BeanstalkApplication
        fields: tuple[str, ...] = ()
        sequence = (
            "application_name", "description", "environment_count", "version_labels", "date_updated", "account",
            "region",
        )  # fmt: skip

    def render_environment_count(self, record: Any, value: int) -> SafeString:
        query = {"account": record.account.account_id, "region": record.region, "application": record.application_name}
        url = reverse("beanstalk:environment_list") + "?" + urlencode(query)
        return format_html('<a href="{}">{}</a>', url, value)

    def render_version_labels(self, value: list[str]) -> str:
        return f"{len(value)}: {', '.join(value[-3:])}{' …' if len(value) > 3 else ''}"


class EnvironmentTable(AccountRegionMixin, BaseTable):
    environment_name = tables.Column(verbose_name="Environment")
    application_name = UrlColumn(verbose_name="Application", url=lambda r: application_url(r))
    tier = BadgeColumn(kind=lambda _, r: "plain" if r.is_web else "info")
    status = tables.Column()
    health = tables.Column(order_by=("health", "health_status"))
    cname = CopyColumn(verbose_name="URL (CNAME)")
    version_label = tables.Column(verbose_name="Version")
    solution_stack = tables.Column(verbose_name="Platform")
    date_updated = TimeColumn(verbose_name="Updated")

    default_columns = (
        "environment_name",
        "application_name",
        "tier",
        "status",
        "health",
        "cname",
        "version_label",
        "date_updated",
    )
    key_columns = ("environment_name", "health")
    wrap_columns = ("environment_name", "application_name", "cname")

    class Meta(BaseTable.Meta):
        model = Environment
        fields: tuple[str, ...] = ()
        sequence = (
            "environment_name", "application_name", "tier", "status", "health", "cname", "version_label",
            "solution_stack", "date_updated", "account", "region",
        )  # fmt: skip

    def render_environment_name(self, record: Environment) -> SafeString:
        return format_html(
            '<a href="{}">{}</a> <span class="muted small">{}</span>',
            environment_url(record),
            record.environment_name,
            record.environment_id,
        )

    def render_status(self, value: str) -> SafeString:
        return status_html(value)

    def render_health(self, record: Environment) -> SafeString:
        return health_html(record.health, record.health_status)


class VersionTable(AccountRegionMixin, BaseTable):
    version_label = tables.Column(verbose_name="Version")
    application_name = UrlColumn(verbose_name="Application", url=lambda r: application_url(r))
    description = tables.Column()
    status = tables.Column()
    source_bundle = CodeColumn(verbose_name="Source bundle")
    date_created = TimeColumn(verbose_name="Created")

    default_columns = ("version_label", "application_name", "description", "status", "date_created")
    key_columns = ("version_label", "status")
    wrap_columns = ("version_label", "application_name", "description")

    class Meta(BaseTable.Meta):
        model = ApplicationVersion
        fields: tuple[str, ...] = ()
        sequence = (
            "version_label", "application_name", "description", "status", "source_bundle", "date_created",
            "account", "region",
        )  # fmt: skip
