"""django-tables2 tables for the API Gateway lists: every cell reads only the row and its account (joined by the
selector), so a page never issues a query per row. `target_html` draws an integration's target, here and on the
detail pages (through the `apigw_target` filter)."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from fleetui.core.tables import AccountRegionMixin, BadgeColumn, BaseTable, CopyColumn, TimeColumn, UrlColumn

from .models import Api, Deployment, RestApi, Route, Stage
from .selectors import api_url, stage_url

TYPE_CLASSES = {"REST": "info", "HTTP": "ok", "WEBSOCKET": "warn"}
INTEGRATION_CLASSES = {"AWS_PROXY": "ok", "AWS": "ok", "HTTP_PROXY": "info", "HTTP": "info", "MOCK": "muted"}


def type_kind(value: str, record: Any = None) -> str:
    return TYPE_CLASSES.get(value, "muted")


def integration_kind(value: str, record: Any = None) -> str:
    return INTEGRATION_CLASSES.get(value, "muted")


def target_html(route: Route, instance: Any = None, function: Any = None, *, missing: bool = False) -> SafeString:
    """What the route calls: a Lambda function's name (linked to its page when `function`, its inventory row, is
    given; marked when `missing`), an HTTP URI (with the EC2 instance it names, linked, when `instance` is given), a
    VPC link's target, a mock; "—" for a route without integration."""
    if route.function_arn:
        name = (
            format_html('<a href="{}">{}</a>', function.get_absolute_url(), route.function_name)
            if function is not None
            else route.function_name
        )
        flag = (
            format_html(' <span class="badge bad" data-finding="missing-function">{}</span>', "function deleted")
            if missing
            else ""
        )
        return format_html(
            '<span class="target lambda" title="{}">λ <strong>{}</strong>{}</span>', route.function_arn, name, flag
        )
    if route.connection_type == "VPC_LINK":
        return format_html(
            '<span class="target vpc-link">VPC link {} → <code class="small">{}</code></span>',
            route.connection_id or "—",
            route.integration_uri,
        )
    if route.integration_uri:
        html = format_html('<code class="small">{}</code>', route.integration_uri)
        if instance is not None:
            url = reverse("ec2:instance_detail", args=[route.account.account_id, route.region, instance.instance_id])
            html = format_html(
                '{} → EC2 <a href="{}">{}</a> <span class="muted small">{}</span>',
                html, url, instance.name or instance.instance_id, instance.state,
            )  # fmt: skip
        return format_html('<span class="target http">{}</span>', html)
    if route.integration_type == "MOCK":
        return format_html('<span class="muted">{}</span>', "mock response")
    return format_html('<span class="muted">{}</span>', "—")


def list_url(name: str, record: Any, **params: str) -> str:
    query = {"account": record.account.account_id, "region": record.region, "api_id": record.api_id, **params}
    return reverse(f"apigateway:{name}") + "?" + urlencode(query)


class ApiCountsMixin(tables.Table):
    stage_count = tables.Column(verbose_name="Stages", attrs={"td": {"class": "num"}})
    route_count = tables.Column(verbose_name="Routes", attrs={"td": {"class": "num"}})

    def render_stage_count(self, record: Any, value: int) -> SafeString:
        return format_html('<a href="{}">{}</a>', list_url("stage_list", record), value)

    def render_route_count(self, record: Any, value: int) -> SafeString:
        return format_html('<a href="{}">{}</a>', list_url("route_list", record), value)


class RestApiTable(ApiCountsMixin, AccountRegionMixin, BaseTable):
    name = UrlColumn(verbose_name="REST API", url=api_url)
    endpoint_type = tables.Column(verbose_name="Endpoint")
    created_at = TimeColumn(verbose_name="Created")
    api_id = CopyColumn(verbose_name="API id")

    default_columns = ("name", "endpoint_type", "stage_count", "route_count", "created_at")
    key_columns = ("name", "endpoint_type")
    wrap_columns = ("name",)

    class Meta(BaseTable.Meta):
        model = RestApi
        fields: tuple[str, ...] = ()
        sequence = ("name", "endpoint_type", "stage_count", "route_count", "created_at", "api_id", "account", "region")


class ApiTable(ApiCountsMixin, AccountRegionMixin, BaseTable):
    name = UrlColumn(verbose_name="API", url=api_url)
    protocol_type = BadgeColumn(verbose_name="Protocol", kind=type_kind)
    api_endpoint = tables.Column(verbose_name="Endpoint")
    created_at = TimeColumn(verbose_name="Created")
    api_id = CopyColumn(verbose_name="API id")

    default_columns = ("name", "protocol_type", "api_endpoint", "stage_count", "route_count", "created_at")
    key_columns = ("name", "protocol_type")
    wrap_columns = ("name", "api_endpoint")

    class Meta(BaseTable.Meta):
        model = Api
        fields: tuple[str, ...] = ()
        sequence = (
            "name", "protocol_type", "api_endpoint", "stage_count", "route_count", "created_at", "api_id", "account",
            "region",
        )  # fmt: skip


class DeploymentTable(AccountRegionMixin, BaseTable):
    deployment_id = CopyColumn(verbose_name="Deployment")
    api_name = UrlColumn(verbose_name="REST API", url=api_url)
    description = tables.Column(verbose_name="Description")
    created_at = TimeColumn(verbose_name="Created")

    key_columns = ("deployment_id", "api_name", "created_at")
    wrap_columns = ("api_name", "description")

    class Meta(BaseTable.Meta):
        model = Deployment
        fields: tuple[str, ...] = ()
        sequence = ("deployment_id", "api_name", "description", "created_at", "account", "region")


class StageTable(AccountRegionMixin, BaseTable):
    stage_name = UrlColumn(verbose_name="Stage", url=stage_url)
    api_name = UrlColumn(verbose_name="API", url=api_url)
    api_type = BadgeColumn(verbose_name="Type", kind=type_kind)
    deployment_id = tables.Column(verbose_name="Deployment")
    deployed_at = TimeColumn(verbose_name="Deployed")
    updated_at = TimeColumn(verbose_name="Updated")
    cache_enabled = tables.Column(verbose_name="Cache", empty_values=())
    tracing_enabled = tables.BooleanColumn(verbose_name="Tracing")

    key_columns = ("stage_name", "api_name", "api_type")
    wrap_columns = ("stage_name", "api_name")

    class Meta(BaseTable.Meta):
        model = Stage
        fields: tuple[str, ...] = ()
        sequence = (
            "stage_name", "api_name", "api_type", "deployment_id", "deployed_at", "updated_at", "cache_enabled",
            "tracing_enabled", "account", "region",
        )  # fmt: skip

    def render_cache_enabled(self, record: Stage) -> str:
        return f"{record.cache_size} GB" if record.cache_enabled else "off"


class RouteTable(AccountRegionMixin, BaseTable):
    route = tables.Column(verbose_name="Route")
    api_name = UrlColumn(verbose_name="API", url=api_url)
    api_type = BadgeColumn(verbose_name="Type", kind=type_kind)
    integration_type = BadgeColumn(verbose_name="Integration", kind=integration_kind)
    function_name = tables.Column(verbose_name="Target", empty_values=())
    authorization_type = tables.Column(verbose_name="Auth")

    key_columns = ("route", "api_name", "function_name")
    wrap_columns = ("route", "api_name", "function_name")

    class Meta(BaseTable.Meta):
        model = Route
        fields: tuple[str, ...] = ()
        sequence = (
            "route", "api_name", "api_type", "integration_type", "function_name", "authorization_type", "account",
            "region",
        )  # fmt: skip

    def render_route(self, value: str) -> SafeString:
        return format_html("<code>{}</code>", value)

    def render_function_name(self, record: Route) -> SafeString:
        return target_html(record)
