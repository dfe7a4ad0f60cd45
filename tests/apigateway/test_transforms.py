"""API Gateway transforms on canned payloads shaped like boto3's answers: a REST API, a v2 API, both kinds of
stage, a REST method and v2 routes with their integrations (Lambda URIs of both forms, a qualified ARN, an HTTP
host, a VPC link, a mock), and the same item giving the same fields twice."""

from datetime import UTC, datetime

from fleetui.apigateway import transforms as t
from fleetui.apigateway.models import invoke_url
from fleetui.apigateway.selectors import host_address
from fleetui.aws.apigateway import API_NAME_KEY, API_TYPE_KEY, INTEGRATION_KEY
from fleetui.aws.query import PARENT_KEY

ARN = "arn:aws:lambda:eu-west-1:123456789012:function:orders-api"
V1_URI = f"arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/{ARN}/invocations"
WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def tagged(item, api_type, api_id="a1b2c3d4e5"):
    return {**item, PARENT_KEY: api_id, API_NAME_KEY: "shop", API_TYPE_KEY: api_type}


def test_lambda_targets_of_both_uri_forms_are_unqualified():
    assert t.lambda_target(V1_URI) == (ARN, "orders-api")
    assert t.lambda_target(ARN) == (ARN, "orders-api")
    qualified = V1_URI.replace("orders-api/", "orders-api:live/")
    assert t.lambda_target(qualified) == (ARN, "orders-api")
    assert t.lambda_target(f"{ARN}:${{stageVariables.alias}}") == (ARN, "orders-api")
    assert t.lambda_target("arn:aws:apigateway:eu-west-1:sqs:path/123456789012/queue") == ("", "")
    assert t.lambda_target("https://example.com/x") == ("", "")


def test_http_hosts_and_ec2_addresses():
    assert t.http_host("HTTP_PROXY", "http://EC2-54-1-2-3.eu-west-1.compute.amazonaws.com:8080/health") == (
        "ec2-54-1-2-3.eu-west-1.compute.amazonaws.com"
    )
    assert t.http_host("AWS_PROXY", "https://example.com") == ""
    assert t.http_host("HTTP_PROXY", "arn:aws:elasticloadbalancing:eu-west-1:1:listener/app/x/1/2") == ""
    assert host_address("ec2-54-1-2-3.eu-west-1.compute.amazonaws.com") == "54.1.2.3"
    assert host_address("ip-10-0-1-5.ec2.internal") == "10.0.1.5"
    assert host_address("10.0.0.9") == "10.0.0.9"
    assert host_address("api.example.com") == "" and host_address("ip-999-0-0-1.ec2.internal") == ""


def test_rest_api_and_v2_api():
    rest = {
        "id": "a1b2c3d4e5", "name": "shop", "createdDate": WHEN, "apiKeySource": "HEADER",
        "endpointConfiguration": {"types": ["REGIONAL"]}, "tags": {"env": "prod"}, "description": None,
    }  # fmt: skip
    fields = t.rest_api_fields(rest)
    assert fields == t.rest_api_fields(dict(rest))
    assert (fields["endpoint_type"], fields["description"], fields["created_at"]) == ("REGIONAL", "", WHEN)
    v2 = {"ApiId": "z9", "Name": "ws", "ProtocolType": "WEBSOCKET", "RouteSelectionExpression": "$request.body.action"}
    fields = t.api_fields(v2)
    assert (fields["protocol_type"], fields["api_endpoint"], fields["tags"], fields["created_at"]) == (
        "WEBSOCKET", "", {}, None,
    )  # fmt: skip


def test_rest_deployment_stage_and_v2_stage():
    deployment = t.deployment_fields(tagged({"id": "dep1", "description": None, "createdDate": WHEN}, "REST"))
    assert deployment == {
        "deployment_key": "a1b2c3d4e5/dep1", "api_id": "a1b2c3d4e5", "api_name": "shop", "deployment_id": "dep1",
        "description": "", "created_at": WHEN, "tags": {},
    }  # fmt: skip
    stage = tagged(
        {
            "stageName": "prod", "deploymentId": "dep1", "cacheClusterEnabled": True, "cacheClusterSize": "0.5",
            "tracingEnabled": True, "createdDate": WHEN, "lastUpdatedDate": WHEN, "variables": {"a": "b"},
        },
        "REST",
    )  # fmt: skip
    fields = t.stage_fields(stage)
    assert fields["stage_key"] == "a1b2c3d4e5/prod" and fields["api_type"] == "REST"
    assert (fields["cache_enabled"], fields["cache_size"], fields["tracing_enabled"]) == (True, "0.5", True)
    assert (fields["deployment_id"], fields["created_at"], fields["variables"]) == ("dep1", WHEN, {"a": "b"})
    off = t.stage_fields({**stage, "cacheClusterEnabled": False})
    assert (off["cache_enabled"], off["cache_size"]) == (False, "")  # AWS keeps a size while the cache is off
    v2 = t.stage_fields(tagged({"StageName": "$default", "AutoDeploy": True, "CreatedDate": WHEN}, "HTTP"))
    assert (v2["stage_key"], v2["auto_deploy"], v2["deployment_id"], v2["variables"]) == (
        "a1b2c3d4e5/$default", True, "", {},
    )  # fmt: skip
    assert invoke_url(api_id="x1", api_type="HTTP", region="eu-west-1", stage_name="$default") == (
        "https://x1.execute-api.eu-west-1.amazonaws.com"
    )
    assert invoke_url(api_id="x1", api_type="WEBSOCKET", region="eu-west-1", stage_name="prod").startswith("wss://")


def test_rest_method_and_v2_routes_with_their_integrations():
    method = tagged(
        {
            "httpMethod": "GET", "resourceId": "r1", "path": "/orders", "authorizationType": "NONE",
            "methodIntegration": {"type": "AWS_PROXY", "httpMethod": "POST", "uri": V1_URI},
        },
        "REST",
    )  # fmt: skip
    fields = t.route_fields(method)
    assert fields == t.route_fields(dict(method))
    assert (fields["route_key"], fields["route"], fields["function_name"]) == (
        "a1b2c3d4e5/r1/GET",
        "GET /orders",
        "orders-api",
    )
    assert (fields["connection_type"], fields["integration_id"], fields["target_host"]) == ("INTERNET", "", "")
    mock = t.route_fields(tagged({"httpMethod": "OPTIONS", "resourceId": "r1", "path": "/orders",
                                  "methodIntegration": {"type": "MOCK"}}, "REST"))  # fmt: skip
    assert (mock["integration_type"], mock["integration_uri"], mock["function_arn"]) == ("MOCK", "", "")
    bare = t.route_fields(tagged({"RouteId": "rt1", "RouteKey": "POST /pay", INTEGRATION_KEY: {
        "IntegrationId": "i1", "IntegrationType": "AWS_PROXY", "IntegrationUri": ARN}}, "HTTP"))  # fmt: skip
    assert (bare["route_key"], bare["integration_id"], bare["function_arn"]) == ("a1b2c3d4e5/rt1", "i1", ARN)
    linked = t.route_fields(tagged({"RouteId": "rt2", "RouteKey": "ANY /inv", INTEGRATION_KEY: {
        "IntegrationType": "HTTP_PROXY", "ConnectionType": "VPC_LINK", "ConnectionId": "vl1",
        "IntegrationUri": "arn:aws:elasticloadbalancing:eu-west-1:1:listener/app/x/1/2"}}, "HTTP"))  # fmt: skip
    assert (linked["connection_type"], linked["connection_id"], linked["target_host"]) == ("VPC_LINK", "vl1", "")
    none = t.route_fields(tagged({"RouteId": "rt3", "RouteKey": "$disconnect", INTEGRATION_KEY: {}}, "WEBSOCKET"))
    assert (none["integration_type"], none["connection_type"]) == ("", "")
