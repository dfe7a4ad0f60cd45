"""API Gateway inventory: REST APIs (v1), HTTP and WebSocket APIs (v2), the stages of both, and their routes.

Like every inventory model these rows are never deleted by a sync; `gone_at` marks what a complete sync no longer
saw. A stage or route keeps its API's id, name and type, so lists need no join. A "route" is a REST API's method
on a resource ("GET /orders") or a v2 API's route ("$connect", "POST /payments"), with its integration inline:
what it calls (a Lambda function, an HTTP endpoint, a VPC link, a mock). Each stage serves its API's routes.
"""

from django.db import models
from django.urls import reverse

from fleetui.core.models import AwsResource


class ApiType(models.TextChoices):
    REST = "REST", "REST"
    HTTP = "HTTP", "HTTP"
    WEBSOCKET = "WEBSOCKET", "WebSocket"


# An HTTP or WebSocket API's protocol (v2 has no REST ones).
V2_PROTOCOLS = [(ApiType.HTTP.value, "HTTP"), (ApiType.WEBSOCKET.value, "WebSocket")]


class RestApi(AwsResource):
    KEY = "api_id"

    api_id = models.CharField(max_length=32)
    name = models.CharField(max_length=255, db_index=True)
    description = models.TextField(blank=True)
    endpoint_type = models.CharField(max_length=32, blank=True, help_text="EDGE, REGIONAL or PRIVATE")
    api_key_source = models.CharField(max_length=16, blank=True, help_text="HEADER or AUTHORIZER")
    execute_api_disabled = models.BooleanField(default=False, help_text="The default execute-api endpoint is off")
    created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "api_id"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "api_id"], name="uniq_apigw_rest_api")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("apigateway:rest_api_detail", args=[self.account.account_id, self.region, self.api_id])


class Api(AwsResource):
    """An HTTP or WebSocket API (API Gateway v2)."""

    KEY = "api_id"

    api_id = models.CharField(max_length=32)
    name = models.CharField(max_length=255, db_index=True)
    description = models.TextField(blank=True)
    protocol_type = models.CharField(max_length=16, choices=V2_PROTOCOLS, db_index=True)
    api_endpoint = models.CharField(max_length=512, blank=True)
    route_selection_expression = models.CharField(max_length=255, blank=True)
    execute_api_disabled = models.BooleanField(default=False)
    created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "api_id"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "api_id"], name="uniq_apigw_api")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("apigateway:api_detail", args=[self.account.account_id, self.region, self.api_id])


class Deployment(AwsResource):
    """A REST API's deployment: the snapshot of its methods a stage serves."""

    KEY = "deployment_key"

    deployment_key = models.CharField(max_length=80, help_text="<api id>/<deployment id>")
    api_id = models.CharField(max_length=32, db_index=True)
    api_name = models.CharField(max_length=255, db_index=True)
    deployment_id = models.CharField(max_length=32)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["api_name", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["account", "region", "deployment_key"], name="uniq_apigw_deployment")
        ]

    def __str__(self) -> str:
        return f"{self.api_name}/{self.deployment_id}"

    def get_absolute_url(self) -> str:
        return reverse("apigateway:rest_api_detail", args=[self.account.account_id, self.region, self.api_id])


class Stage(AwsResource):
    KEY = "stage_key"

    stage_key = models.CharField(max_length=160, help_text="<api id>/<stage name>")
    api_id = models.CharField(max_length=32, db_index=True)
    api_name = models.CharField(max_length=255, db_index=True)
    api_type = models.CharField(max_length=16, choices=ApiType.choices, db_index=True)
    stage_name = models.CharField(max_length=128, db_index=True)
    description = models.TextField(blank=True)
    deployment_id = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    cache_enabled = models.BooleanField(default=False, help_text="REST: a stage cache cluster")
    cache_size = models.CharField(max_length=8, blank=True, help_text="GB")
    tracing_enabled = models.BooleanField(default=False, help_text="REST: X-Ray tracing")
    auto_deploy = models.BooleanField(default=False, help_text="v2: deploys every change")
    variables = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["api_name", "stage_name"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "stage_key"], name="uniq_apigw_stage")]

    def __str__(self) -> str:
        return f"{self.api_name}/{self.stage_name}"

    def get_absolute_url(self) -> str:
        return reverse(
            "apigateway:stage_detail", args=[self.account.account_id, self.region, self.api_id, self.stage_name]
        )

    @property
    def invoke_url(self) -> str:
        return invoke_url(api_id=self.api_id, api_type=self.api_type, region=self.region, stage_name=self.stage_name)


class Route(AwsResource):
    KEY = "route_key"

    route_key = models.CharField(max_length=160, help_text="<api id>/<resource id>/<METHOD> or <api id>/<route id>")
    api_id = models.CharField(max_length=32, db_index=True)
    api_name = models.CharField(max_length=255, db_index=True)
    api_type = models.CharField(max_length=16, choices=ApiType.choices, db_index=True)
    route = models.CharField(max_length=512, help_text="GET /orders, $connect, ANY /{proxy+}")
    resource_id = models.CharField(max_length=32, blank=True, help_text="REST: the resource")
    route_id = models.CharField(max_length=32, blank=True, help_text="v2: the route")
    authorization_type = models.CharField(max_length=32, blank=True)
    api_key_required = models.BooleanField(default=False)
    integration_id = models.CharField(max_length=32, blank=True, help_text="v2: the integration")
    integration_type = models.CharField(
        max_length=16, blank=True, db_index=True, help_text="AWS_PROXY, HTTP_PROXY, ..."
    )
    integration_method = models.CharField(max_length=16, blank=True)
    integration_uri = models.CharField(max_length=2048, blank=True)
    connection_type = models.CharField(max_length=16, blank=True, help_text="INTERNET or VPC_LINK")
    connection_id = models.CharField(max_length=64, blank=True, help_text="The VPC link")
    function_arn = models.CharField(max_length=255, blank=True, db_index=True, help_text="Unqualified")
    function_name = models.CharField(max_length=140, blank=True, db_index=True)
    target_host = models.CharField(max_length=255, blank=True, help_text="An HTTP target's host")

    class Meta:
        ordering = ["api_name", "route"]
        constraints = [models.UniqueConstraint(fields=["account", "region", "route_key"], name="uniq_apigw_route")]

    def __str__(self) -> str:
        return f"{self.api_name} {self.route}"

    def get_absolute_url(self) -> str:
        """Its API's page, which lists the API's routes (a route has no page of its own)."""
        return api_page(self, self.api_type)


def invoke_url(*, api_id: str, api_type: str, region: str, stage_name: str) -> str:
    """The stage's default execute-api URL: https:// (wss:// for WebSocket), no path for an HTTP API's $default."""
    scheme = "wss" if api_type == ApiType.WEBSOCKET else "https"
    path = "" if stage_name == "$default" else f"/{stage_name}"
    return f"{scheme}://{api_id}.execute-api.{region}.amazonaws.com{path}"


def api_page(row: AwsResource, api_type: str) -> str:
    """The page of the API `row` names by its `api_id`: a REST API's, or an HTTP or WebSocket API's."""
    name = "apigateway:rest_api_detail" if api_type == ApiType.REST else "apigateway:api_detail"
    return reverse(name, args=[row.account.account_id, row.region, row.api_id])  # type: ignore[attr-defined]
