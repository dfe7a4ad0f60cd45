"""API Gateway reads: the inventory's fetchers, one list of boto3's dicts per page.

Two services share the execute-api id space: REST APIs (`apigateway`, v1) and HTTP and WebSocket APIs
(`apigatewayv2`). An API id is unique in a region across both, so a stage or a route is named by "<api id>/...".

- REST APIs: GetRestApis (paginated, 500 a page); HTTP and WebSocket APIs: GetApis.
- Deployments of REST APIs: GetDeployments per API (a v2 stage deploys itself, or names its deployment).
- Stages, of every API of both kinds: GetStages per REST API (AWS does not paginate it) and per v2 API.
- Routes: a REST API's methods (GetResources with `embed=methods`, so each method carries its integration in one
  call per API) and a v2 API's routes (GetRoutes), each with the integration its target names (GetIntegrations,
  once per API), under INTEGRATION_KEY.
Every stage and route item is tagged with its API's id (PARENT_KEY), name (API_NAME_KEY) and type ("REST",
"HTTP" or "WEBSOCKET", API_TYPE_KEY). The stage and route fetchers list the APIs themselves: they have two parent
types, and the engine's `parent` names one.

`ids` (a targeted re-sync): API ids for the API types; "<api id>/<deployment id>" for deployments,
"<api id>/<stage name>" for stages and
"<api id>/<resource id>/<METHOD>" or "<api id>/<route id>" for routes: only the named APIs are read, and only the
named children kept. `ids=[]` makes no call; `ids=None` reads everything. An API deleted between the list and its
children's read answers NotFoundException: it simply has no children any more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .clients import AccountRef, client_get, paginate
from .errors import AwsNotFound, aws_errors
from .query import PARENT_KEY, Page

API_NAME_KEY = "FleetuiApiName"
API_TYPE_KEY = "FleetuiApiType"  # REST, HTTP or WEBSOCKET
INTEGRATION_KEY = "FleetuiIntegration"  # a v2 route's integration (GetIntegrations' item), {} when none
REST = "REST"
PAGE = 500  # GetRestApis' and GetApis' largest page


def _v1(account: AccountRef, region: str) -> Any:
    return client_get("apigateway", account=account, region=region)


def _v2(account: AccountRef, region: str) -> Any:
    return client_get("apigatewayv2", account=account, region=region)


def _wanted_apis(ids: Sequence[str] | None) -> set[str] | None:
    """The API ids that `ids` (API ids, or child keys that start with one) name; None for every API."""
    return None if ids is None else {key.split("/", 1)[0] for key in ids}


def _api_id(item: dict[str, Any]) -> str:
    return str(item.get("id") or item.get("ApiId") or "")


def _api_pages(client: Any, method: str, result_key: str, ids: Sequence[str] | None) -> Iterator[Page]:
    """GetRestApis' or GetApis' pages, only the APIs `ids` names (all for None, no call for [])."""
    wanted = _wanted_apis(ids)
    if wanted is not None and not wanted:
        return
    for page in paginate(client, method, result_key, PaginationConfig={"PageSize": PAGE}):
        kept = [item for item in page if wanted is None or _api_id(item) in wanted]
        if kept:
            yield kept


def _listed(client: Any, method: str, result_key: str, ids: Sequence[str] | None) -> Iterator[dict[str, Any]]:
    for page in _api_pages(client, method, result_key, ids):
        yield from page


def rest_api_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """REST APIs (GetRestApis). `ids`: REST API ids."""
    yield from _api_pages(_v1(account, region), "get_rest_apis", "items", ids)


def api_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """HTTP and WebSocket APIs (GetApis). `ids`: API ids."""
    yield from _api_pages(_v2(account, region), "get_apis", "Items", ids)


def _tagged(item: dict[str, Any], api_id: str, name: str, kind: str) -> dict[str, Any]:
    return {**item, PARENT_KEY: api_id, API_NAME_KEY: name, API_TYPE_KEY: kind}


def _read(call: Callable[[], Any], operation: str) -> Any:
    """The call's answer, or None when the API is gone (NotFoundException)."""
    try:
        with aws_errors(operation):
            return call()
    except AwsNotFound:
        return None


def _all(client: Any, method: str, result_key: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a per-API list; none when the API is gone."""
    try:
        return [item for page in paginate(client, method, result_key, **params) for item in page]
    except AwsNotFound:
        return []


def _children(
    ids: Sequence[str] | None, key: Callable[[dict[str, Any]], str], items: Iterator[dict[str, Any]]
) -> Iterator[Page]:
    """One page of the items, or of those whose key `ids` names."""
    named = None if ids is None else set(ids)
    page = [item for item in items if named is None or key(item) in named]
    if page:
        yield page


def deployment_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """The deployments of every REST API. `ids`: "<api id>/<deployment id>"."""
    client = _v1(account, region)

    def items() -> Iterator[dict[str, Any]]:
        for api in _listed(client, "get_rest_apis", "items", ids):
            for deployment in _all(client, "get_deployments", "items", restApiId=api["id"]):
                yield _tagged(deployment, api["id"], api.get("name", ""), REST)

    yield from _children(ids, lambda item: f"{item[PARENT_KEY]}/{item['id']}", items())


def _rest_stages(client: Any, api: dict[str, Any]) -> Iterator[dict[str, Any]]:
    answer = _read(lambda: client.get_stages(restApiId=api["id"]), "GetStages") or {}
    for stage in answer.get("item") or []:
        yield _tagged(stage, api["id"], api.get("name", ""), REST)


def stage_key(item: dict[str, Any]) -> str:
    """A stage item's key: "<api id>/<stage name>" (REST stages say `stageName`, v2 ones `StageName`)."""
    return f"{item[PARENT_KEY]}/{item.get('stageName') or item.get('StageName')}"


def stage_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """The stages of every API of both kinds. `ids`: "<api id>/<stage name>"."""
    v1, v2 = _v1(account, region), _v2(account, region)

    def items() -> Iterator[dict[str, Any]]:
        for api in _listed(v1, "get_rest_apis", "items", ids):
            yield from _rest_stages(v1, api)
        for api in _listed(v2, "get_apis", "Items", ids):
            for stage in _all(v2, "get_stages", "Items", ApiId=api["ApiId"]):
                yield _tagged(stage, api["ApiId"], api.get("Name", ""), api.get("ProtocolType", ""))

    yield from _children(ids, stage_key, items())


def route_key(item: dict[str, Any]) -> str:
    """A route item's key: "<api id>/<resource id>/<METHOD>" for a REST method, "<api id>/<route id>" for a route."""
    if item[API_TYPE_KEY] == REST:
        return f"{item[PARENT_KEY]}/{item['resourceId']}/{item['httpMethod']}"
    return f"{item[PARENT_KEY]}/{item['RouteId']}"


def _rest_methods(client: Any, api: dict[str, Any]) -> Iterator[dict[str, Any]]:
    api_id = api["id"]
    for resource in _all(client, "get_resources", "items", restApiId=api_id, embed=["methods"]):
        for method in (resource.get("resourceMethods") or {}).values():
            item = {**method, "resourceId": resource["id"], "path": resource.get("path", "")}
            yield _tagged(item, api_id, api.get("name", ""), REST)


def _v2_routes(client: Any, api: dict[str, Any]) -> Iterator[dict[str, Any]]:
    api_id = api["ApiId"]
    integrations = {i["IntegrationId"]: i for i in _all(client, "get_integrations", "Items", ApiId=api_id)}
    for route in _all(client, "get_routes", "Items", ApiId=api_id):
        # A route's target is "integrations/<integration id>"; a route without one (a mock) has none.
        target = str(route.get("Target") or "").removeprefix("integrations/")
        item = {**route, INTEGRATION_KEY: integrations.get(target, {})}
        yield _tagged(item, api_id, api.get("Name", ""), api.get("ProtocolType", ""))


def route_pages(*, account: AccountRef, region: str, ids: Sequence[str] | None = None) -> Iterator[Page]:
    """REST APIs' methods and v2 APIs' routes, each with its integration. `ids`: route keys (`route_key`)."""
    v1, v2 = _v1(account, region), _v2(account, region)

    def items() -> Iterator[dict[str, Any]]:
        for api in _listed(v1, "get_rest_apis", "items", ids):
            yield from _rest_methods(v1, api)
        for api in _listed(v2, "get_apis", "Items", ids):
            yield from _v2_routes(v2, api)

    yield from _children(ids, route_key, items())
