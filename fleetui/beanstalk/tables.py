"""django-tables2 tables for the Beanstalk lists (cells by `render_*` methods, as in fleetui.ec2.tables:
every column reads only the row and its account, so a page never issues a query per row)."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from fleetui.core.humanize import time_html
from fleetui.core.tables import AccountRegionMixin, BaseTable, badge
from fleetui.core.templatetags.fleetui import copy_html

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
    application_name = tables.Column(verbose_name="Application")
    description = tables.Column()
    environment_count = tables.Column(verbose_name="Environments", attrs={"td": {"class": "num"}})
    version_labels = tables.Column(verbose_name="Versions", orderable=False)
    date_updated = tables.Column(verbose_name="Updated")

    class Meta(BaseTable.Meta):
        model = BeanstalkApplication
        fields: tuple[str, ...] = ()
        sequence = (
            "application_name", "description", "environment_count", "version_labels", "date_updated", "account",
            "region",
        )  # fmt: skip

    def render_application_name(self, record: BeanstalkApplication) -> SafeString:
        return format_html('<a href="{}">{}</a>', application_url(record), record.application_name)

    def render_environment_count(self, record: Any, value: int) -> SafeString:
        query = {"account": record.account.account_id, "region": record.region, "application": record.application_name}
        url = reverse("beanstalk:environment_list") + "?" + urlencode(query)
        return format_html('<a href="{}">{}</a>', url, value)

    def render_version_labels(self, value: list[str]) -> str:
        return f"{len(value)}: {', '.join(value[-3:])}{' …' if len(value) > 3 else ''}"

    def render_date_updated(self, value: Any) -> SafeString:
        return time_html(value)


class EnvironmentTable(AccountRegionMixin, BaseTable):
    environment_name = tables.Column(verbose_name="Environment")
    application_name = tables.Column(verbose_name="Application")
    tier = tables.Column()
    status = tables.Column()
    health = tables.Column(order_by=("health", "health_status"))
    cname = tables.Column(verbose_name="URL (CNAME)")
    version_label = tables.Column(verbose_name="Version")
    solution_stack = tables.Column(verbose_name="Platform")
    date_updated = tables.Column(verbose_name="Updated")

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

    def render_application_name(self, record: Environment) -> SafeString:
        return format_html('<a href="{}">{}</a>', application_url(record), record.application_name)

    def render_tier(self, record: Environment) -> SafeString:
        return badge(record.tier, "plain" if record.is_web else "info")

    def render_status(self, value: str) -> SafeString:
        return status_html(value)

    def render_health(self, record: Environment) -> SafeString:
        return health_html(record.health, record.health_status)

    def render_cname(self, value: str) -> SafeString:
        return copy_html(value)

    def render_date_updated(self, value: Any) -> SafeString:
        return time_html(value)


class VersionTable(AccountRegionMixin, BaseTable):
    version_label = tables.Column(verbose_name="Version")
    application_name = tables.Column(verbose_name="Application")
    description = tables.Column()
    status = tables.Column()
    source_bundle = tables.Column(verbose_name="Source bundle")
    date_created = tables.Column(verbose_name="Created")

    class Meta(BaseTable.Meta):
        model = ApplicationVersion
        fields: tuple[str, ...] = ()
        sequence = (
            "version_label", "application_name", "description", "status", "source_bundle", "date_created",
            "account", "region",
        )  # fmt: skip

    def render_application_name(self, record: ApplicationVersion) -> SafeString:
        return format_html('<a href="{}">{}</a>', application_url(record), record.application_name)

    def render_source_bundle(self, value: str) -> SafeString:
        return format_html('<code class="small">{}</code>', value)

    def render_date_created(self, value: Any) -> SafeString:
        return time_html(value)
