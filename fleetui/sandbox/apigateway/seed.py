"""The API Gateway part of the demo, through plain boto3 calls against the sandbox (account 123456789012, us-east-1):

- `storefront-api`, a REST API (REGIONAL): GET /orders -> Lambda `orders-api`, POST /payments -> `payments-webhook`,
  GET /legacy -> `checkout-v1` (a function that does not exist: the dangling integration the inventory flags), GET
  /health -> HTTP_PROXY to one of the demo's EC2 instances (by its public DNS name); stage `prod` (cache, X-Ray
  tracing) and stage `staging` on a later deployment.
- `live-updates`, a WebSocket API: $connect and $default -> `orders-api`; stage `prod`.
- `partner-api`, an HTTP API: POST /webhooks/payments -> `payments-webhook`, and ANY /inventory/{proxy+} through a
  VPC link to a load balancer's listener; stage `$default` (auto-deploy).
Functions are named by ARN (arn:aws:lambda:<region>:<account>:function:<name>); moto does not check they exist.
"""

from __future__ import annotations

from typing import Any

import boto3

from ..seed import DemoSeed

ACCOUNT = "123456789012"
REGION = "us-east-1"
_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
LISTENER_ARN = (
    f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:listener/app/inventory-internal/50dc6c495c0c9188/0467ef3c8400ae65"
)


def function_arn(name: str, region: str = REGION) -> str:
    return f"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}"


def lambda_uri(name: str, region: str = REGION) -> str:
    """The invocation URI a REST (or WebSocket) API's Lambda integration takes."""
    return f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn(name, region)}/invocations"


def web_instance(ec2: Any) -> dict[str, Any] | None:
    """The running instance with the lowest id (deterministic for a seeded demo), or None."""
    pages = ec2.get_paginator("describe_instances").paginate(
        Filters=[{"Name": "instance-state-name", "Values": ["running"]}]
    )
    instances = [i for page in pages for r in page["Reservations"] for i in r["Instances"]]
    return min(instances, key=lambda i: i["InstanceId"]) if instances else None


def _rest_method(client: Any, api_id: str, parent_id: str, path: str, method: str, **integration: Any) -> None:
    resource = client.create_resource(restApiId=api_id, parentId=parent_id, pathPart=path)
    client.put_method(restApiId=api_id, resourceId=resource["id"], httpMethod=method, authorizationType="NONE")
    client.put_integration(restApiId=api_id, resourceId=resource["id"], httpMethod=method, **integration)


def _lambda(name: str) -> dict[str, str]:
    return {"type": "AWS_PROXY", "integrationHttpMethod": "POST", "uri": lambda_uri(name)}


def storefront_create(client: Any, host: str) -> int:
    """`storefront-api` with its two stages; returns its method count."""
    api = client.create_rest_api(
        name="storefront-api",
        description="Public storefront: orders and payments",
        endpointConfiguration={"types": ["REGIONAL"]},
        tags={"team": "storefront", "env": "prod"},
    )
    api_id, root = api["id"], api["rootResourceId"]
    _rest_method(client, api_id, root, "orders", "GET", **_lambda("orders-api"))
    _rest_method(client, api_id, root, "payments", "POST", **_lambda("payments-webhook"))
    _rest_method(client, api_id, root, "legacy", "GET", **_lambda("checkout-v1"))
    methods = 3
    if host:
        http = {"type": "HTTP_PROXY", "integrationHttpMethod": "GET", "uri": f"http://{host}/health"}
        _rest_method(client, api_id, root, "health", "GET", **http)
        methods += 1
    client.create_deployment(restApiId=api_id, stageName="prod", description="release 2026.11.2")
    client.update_stage(
        restApiId=api_id,
        stageName="prod",
        patchOperations=[
            {"op": "replace", "path": "/cacheClusterEnabled", "value": "true"},
            {"op": "replace", "path": "/cacheClusterSize", "value": "0.5"},
            {"op": "replace", "path": "/tracingEnabled", "value": "true"},
        ],
    )
    candidate = client.create_deployment(restApiId=api_id, description="release candidate 2026.12.0")
    client.create_stage(
        restApiId=api_id, stageName="staging", deploymentId=candidate["id"], variables={"lambdaAlias": "staging"}
    )
    return methods


def _v2_route(client: Any, api_id: str, route: str, **integration: Any) -> None:
    made = client.create_integration(ApiId=api_id, **integration)
    client.create_route(ApiId=api_id, RouteKey=route, Target=f"integrations/{made['IntegrationId']}")


def live_updates_create(client: Any) -> int:
    """`live-updates`, a WebSocket API whose $connect and $default call `orders-api`; returns its route count."""
    api = client.create_api(
        Name="live-updates",
        ProtocolType="WEBSOCKET",
        RouteSelectionExpression="$request.body.action",
        Tags={"team": "storefront"},
    )
    api_id = api["ApiId"]
    integration = client.create_integration(
        ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationMethod="POST", IntegrationUri=lambda_uri("orders-api")
    )
    for route in ("$connect", "$default"):
        client.create_route(ApiId=api_id, RouteKey=route, Target=f"integrations/{integration['IntegrationId']}")
    client.create_stage(ApiId=api_id, StageName="prod", Description="Customer order updates")
    return 2


def partner_create(client: Any) -> int:
    """`partner-api`, an HTTP API: a Lambda route and a VPC-link route; returns its route count."""
    api = client.create_api(Name="partner-api", ProtocolType="HTTP", Tags={"team": "payments"})
    api_id = api["ApiId"]
    _v2_route(
        client, api_id, "POST /webhooks/payments",
        IntegrationType="AWS_PROXY", IntegrationUri=function_arn("payments-webhook"), PayloadFormatVersion="2.0",
    )  # fmt: skip
    link = client.create_vpc_link(Name="inventory-internal", SubnetIds=["subnet-0a1b2c3d"], SecurityGroupIds=[])
    _v2_route(
        client, api_id, "ANY /inventory/{proxy+}",
        IntegrationType="HTTP_PROXY", IntegrationMethod="ANY", IntegrationUri=LISTENER_ARN,
        ConnectionType="VPC_LINK", ConnectionId=link["VpcLinkId"], PayloadFormatVersion="1.0",
    )  # fmt: skip
    client.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    return 2


def apigateway_seed(*, endpoint: str, regions: list[str]) -> dict[str, int]:
    """Seed the three APIs when us-east-1 is one of `regions`; the /health route only when a running EC2 instance is
    there to call. Returns {"apis", "routes", "stages"}."""
    if REGION not in regions:
        return {"apis": 0, "routes": 0, "stages": 0}

    def client(service: str) -> Any:
        return boto3.client(service, region_name=REGION, endpoint_url=endpoint, **_KEYS)

    instance = web_instance(client("ec2")) or {}
    v2 = client("apigatewayv2")
    routes = storefront_create(client("apigateway"), str(instance.get("PublicDnsName") or ""))
    routes += live_updates_create(v2) + partner_create(v2)
    return {"apis": 3, "routes": routes, "stages": 4}


def seed(demo: DemoSeed) -> None:
    demo.summary["apigateway"] = apigateway_seed(endpoint=demo.endpoint, regions=demo.regions)


def describe(summary: dict[str, Any]) -> str:
    counts = summary.get("apigateway") or {}
    return f"{counts.get('apis', 0)} API Gateway APIs with {counts.get('routes', 0)} routes"
