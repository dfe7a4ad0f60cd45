"""Pure transforms: one API Gateway item (boto3's dict, as fleetui.aws.apigateway tags it) -> its model's fields.

Like every service's transforms, each returns exactly the model's synced fields, normalised (`""` not None, sorted
where AWS order means nothing), so an unchanged re-sync writes nothing. REST (v1) items use camelCase keys, v2 items
PascalCase ones. An integration's target is read here once: a Lambda function's unqualified ARN and name out of
the URI (v1's `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations`, or the
bare ARN v2 takes), and an HTTP target's host (for the link to an EC2 instance).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from fleetui.aws.apigateway import API_NAME_KEY, API_TYPE_KEY, INTEGRATION_KEY, REST, route_key
from fleetui.aws.query import PARENT_KEY
from fleetui.inventory.sync.values import when

# A function ARN; a qualifier after it (":live", a version) is not part of the match.
FUNCTION_ARN = re.compile(r"(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+))")
HTTP_TYPES = frozenset({"HTTP", "HTTP_PROXY"})


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def lambda_target(uri: str) -> tuple[str, str]:
    """(unqualified function ARN, function name) of a Lambda integration URI, ("", "") for any other."""
    found = FUNCTION_ARN.search(uri or "")
    return (found.group(1), found.group(2)) if found else ("", "")


def http_host(integration_type: str, uri: str) -> str:
    """The host an HTTP integration calls (lower case), "" for another type or a URI without one (a v2 VPC link's
    target is a listener ARN, kept as text)."""
    if integration_type not in HTTP_TYPES or not uri.lower().startswith(("http://", "https://")):
        return ""
    return (urlsplit(uri).hostname or "").lower()


def rest_api_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetRestApis' item -> RestApi fields."""
    return {
        "api_id": raw["id"],
        "name": _text(raw.get("name")),
        "description": _text(raw.get("description")),
        "endpoint_type": ",".join(sorted((raw.get("endpointConfiguration") or {}).get("types") or [])),
        "api_key_source": _text(raw.get("apiKeySource")),
        "execute_api_disabled": bool(raw.get("disableExecuteApiEndpoint")),
        "created_at": when(raw.get("createdDate")),
        "tags": dict(raw.get("tags") or {}),
    }


def api_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetApis' item -> Api fields."""
    return {
        "api_id": raw["ApiId"],
        "name": _text(raw.get("Name")),
        "description": _text(raw.get("Description")),
        "protocol_type": _text(raw.get("ProtocolType")),
        "api_endpoint": _text(raw.get("ApiEndpoint")),
        "route_selection_expression": _text(raw.get("RouteSelectionExpression")),
        "execute_api_disabled": bool(raw.get("DisableExecuteApiEndpoint")),
        "created_at": when(raw.get("CreatedDate")),
        "tags": dict(raw.get("Tags") or {}),
    }


def _api(raw: dict[str, Any]) -> dict[str, str]:
    return {"api_id": raw[PARENT_KEY], "api_name": _text(raw.get(API_NAME_KEY)), "api_type": raw[API_TYPE_KEY]}


def deployment_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetDeployments' item (of a REST API) -> Deployment fields."""
    return {
        "deployment_key": f"{raw[PARENT_KEY]}/{raw['id']}",
        "api_id": raw[PARENT_KEY],
        "api_name": _text(raw.get(API_NAME_KEY)),
        "deployment_id": raw["id"],
        "description": _text(raw.get("description")),
        "created_at": when(raw.get("createdDate")),
        "tags": {},
    }


def stage_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """GetStages' item of either kind -> Stage fields."""
    if raw[API_TYPE_KEY] == REST:
        name, cache = raw["stageName"], bool(raw.get("cacheClusterEnabled"))
        return {
            "stage_key": f"{raw[PARENT_KEY]}/{name}",
            **_api(raw),
            "stage_name": name,
            "description": _text(raw.get("description")),
            "deployment_id": _text(raw.get("deploymentId")),
            "created_at": when(raw.get("createdDate")),
            "updated_at": when(raw.get("lastUpdatedDate")),
            "cache_enabled": cache,
            "cache_size": _text(raw.get("cacheClusterSize")) if cache else "",
            "tracing_enabled": bool(raw.get("tracingEnabled")),
            "auto_deploy": False,
            "variables": dict(raw.get("variables") or {}),
            "tags": dict(raw.get("tags") or {}),
        }
    name = raw["StageName"]
    return {
        "stage_key": f"{raw[PARENT_KEY]}/{name}",
        **_api(raw),
        "stage_name": name,
        "description": _text(raw.get("Description")),
        "deployment_id": _text(raw.get("DeploymentId")),
        "created_at": when(raw.get("CreatedDate")),
        "updated_at": when(raw.get("LastUpdatedDate")),
        "cache_enabled": False,
        "cache_size": "",
        "tracing_enabled": False,
        "auto_deploy": bool(raw.get("AutoDeploy")),
        "variables": dict(raw.get("StageVariables") or {}),
        "tags": dict(raw.get("Tags") or {}),
    }


def _integration(kind: str, uri: str, *, connection_type: str, **fields: str) -> dict[str, str]:
    function_arn, function_name = lambda_target(uri)
    return {
        "integration_type": kind,
        "integration_uri": uri,
        "function_arn": function_arn,
        "function_name": function_name,
        "target_host": http_host(kind, uri),
        # AWS's default for an integration that does not say (moto's REST integrations never do).
        "connection_type": connection_type or ("INTERNET" if kind else ""),
        **fields,
    }


def route_fields(raw: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """A REST method (GetResources' `resourceMethods` item, with its resource) or a v2 route (with the integration
    its target names) -> Route fields."""
    if raw[API_TYPE_KEY] == REST:
        integration = raw.get("methodIntegration") or {}
        return {
            "route_key": route_key(raw),
            **_api(raw),
            "route": f"{raw['httpMethod']} {raw.get('path') or '/'}",
            "resource_id": raw["resourceId"],
            "route_id": "",
            "authorization_type": _text(raw.get("authorizationType")),
            "api_key_required": bool(raw.get("apiKeyRequired")),
            **_integration(
                _text(integration.get("type")),
                _text(integration.get("uri")),
                integration_id="",
                integration_method=_text(integration.get("httpMethod")),
                connection_type=_text(integration.get("connectionType")),
                connection_id=_text(integration.get("connectionId")),
            ),
            "tags": {},
        }
    integration = raw.get(INTEGRATION_KEY) or {}
    return {
        "route_key": route_key(raw),
        **_api(raw),
        "route": _text(raw.get("RouteKey")),
        "resource_id": "",
        "route_id": raw["RouteId"],
        "authorization_type": _text(raw.get("AuthorizationType")),
        "api_key_required": bool(raw.get("ApiKeyRequired")),
        **_integration(
            _text(integration.get("IntegrationType")),
            _text(integration.get("IntegrationUri")),
            integration_id=_text(integration.get("IntegrationId")),
            integration_method=_text(integration.get("IntegrationMethod")),
            connection_type=_text(integration.get("ConnectionType")),
            connection_id=_text(integration.get("ConnectionId")),
        ),
        "tags": {},
    }
