"""fleetui's CloudFormation for the sandbox: moto 5.2.5's CloudFormation patched to behave like the real API.

`install()` patches moto (the originals are kept in ORIGINAL):
- the SAM transform: every template moto parses (CreateStack, UpdateStack, change sets) is expanded by sam.py
  first, so a SAM stack's functions, roles, REST APIs, deployments and stages are created in moto's own Lambda, IAM
  and API Gateway backends and listed as the stack's resources;
- AWS::ApiGateway::RestApi takes its `Body` (moto ignores it): the paths, methods and integrations of the
  definition are imported, so a deployment can be made; AWS::ApiGateway::Stage, which moto lacks, creates the stage;
  a deployment's physical id is its id (moto gives none);
- DescribeStacks carries DriftInformation, LastUpdatedTime and StackStatusReason; GetTemplateSummary carries
  DeclaredTransforms; ListStackResources each resource's own status and DriftInformation; DescribeStackEvents a
  CREATE_IN_PROGRESS / CREATE_COMPLETE pair per resource, as CloudFormation logs them;
- DetectStackDrift and DescribeStackDriftDetectionStatus, which moto lacks (drift.py).

Control API (JSON, on the sandbox server; middleware.py asks `control` for the handler):
- `GET /fleetui-sandbox/stacks` -> `{"delay": 2.0}`; `POST /fleetui-sandbox/stacks` `{"delay": 0.2}` sets the seconds a
  drift detection takes from now on; `POST /moto-api/reset` resets it (FLEETUI_SANDBOX_STACKS_DELAY, else 2.0 s).
- `POST /fleetui-sandbox/stacks/status` `{"account_id", "region", "stack", "status", "reason", "logical_id",
  "resource_status", "resource_reason"}` puts a stack in a status no API call can reach in moto (an update that
  failed and whose rollback failed: UPDATE_ROLLBACK_FAILED), with the failed resource's status and reason and the events
  CloudFormation writes on the way; the demo seed uses it.
"""

from __future__ import annotations

from typing import Any

import moto.cloudformation.parsing as parsing
from moto.apigateway.models import APIGatewayBackend, Deployment, RestAPI, apigateway_backends
from moto.cloudformation.models import ChangeSet, Event, Stack, cloudformation_backends
from moto.cloudformation.responses import CloudFormationResponse
from moto.core.common_models import CloudFormationModel
from moto.core.responses import ActionResult
from moto.core.utils import utcnow

from ..middleware import CONTROL_PREFIX, ControlHandler
from . import drift, sam

CONTROL_PATH = CONTROL_PREFIX + "stacks"
STATUS_PATH = CONTROL_PATH + "/status"
ORIGINAL: dict[str, Any] = {}


# --- the SAM transform ---------------------------------------------------------------------------------------------


def _parse_template(template: str) -> dict[str, Any]:
    return sam.expand(ORIGINAL["Stack.parse_template"](template))


def _change_set_parse(self: ChangeSet) -> None:
    ORIGINAL["ChangeSet._parse_template"](self)
    self.template_dict = sam.expand(self.template_dict)


# --- API Gateway resources moto's CloudFormation lacks ---------------------------------------------------------------


def _openapi(body: dict[str, Any]) -> dict[str, Any]:
    """A swagger 2.0 or OpenAPI 3 definition as moto's PutRestApi takes it (OpenAPI 3, upper-case methods and
    integration types; SAM's `x-amazon-apigateway-any-method` is ANY)."""
    paths: dict[str, Any] = {}
    for path, methods in (body.get("paths") or {}).items():
        for method, doc in (methods or {}).items():
            name = "ANY" if method == "x-amazon-apigateway-any-method" else method.upper()
            doc = dict(doc or {})
            integration = dict(doc.get("x-amazon-apigateway-integration") or {})
            if integration:
                doc["x-amazon-apigateway-integration"] = integration | {"type": str(integration["type"]).upper()}
            paths.setdefault(path, {})[name] = doc
    return {"openapi": "3.0.1", "info": body.get("info") or {}, "paths": paths}


def _rest_api_create(cls: type[RestAPI], resource_name: str, cloudformation_json: dict[str, Any], account_id: str,
                     region_name: str, **kwargs: Any) -> RestAPI:  # fmt: skip
    """moto's RestApi, then its Body's paths, methods and integrations (as API Gateway imports a definition)."""
    api = ORIGINAL["RestAPI.create"].__func__(
        cls, resource_name, cloudformation_json, account_id, region_name, **kwargs
    )
    body = (cloudformation_json.get("Properties") or {}).get("Body")
    if isinstance(body, dict) and body.get("paths"):
        backend: APIGatewayBackend = apigateway_backends[account_id][region_name]
        backend.put_rest_api(api.id, _openapi(body), fail_on_warnings=False, mode="overwrite")
    return api  # type: ignore[no-any-return]


class ApiGatewayStage(CloudFormationModel):
    """AWS::ApiGateway::Stage: CreateStage of RestApiId for DeploymentId; its physical id is the stage name."""

    def __init__(self, stage: Any, rest_api_id: str) -> None:
        self.stage, self.rest_api_id = stage, rest_api_id

    @property
    def physical_resource_id(self) -> str:
        return str(self.stage.name)

    @staticmethod
    def cloudformation_name_type() -> str:
        return "StageName"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::ApiGateway::Stage"

    @classmethod
    def create_from_cloudformation_json(  # type: ignore[misc]
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> ApiGatewayStage:
        props = cloudformation_json["Properties"]
        backend: APIGatewayBackend = apigateway_backends[account_id][region_name]
        stage = backend.create_stage(
            function_id=props["RestApiId"],
            stage_name=props.get("StageName") or resource_name,
            deploymentId=props["DeploymentId"],
            variables=props.get("Variables") or {},
            description=props.get("Description", ""),
        )
        return cls(stage, props["RestApiId"])


# --- what DescribeStacks, ListStackResources and DescribeStackEvents carry -----------------------------------------


def _event(stack: Stack, logical_id: str, physical_id: str, kind: str, status: str, reason: str | None = None) -> None:
    stack.events.append(
        Event(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=logical_id,
            physical_resource_id=physical_id,
            resource_type=kind,
            resource_status=status,
            resource_status_reason=reason,
            resource_properties=None,
        )
    )


def _parse_and_create_resource(logical_id: str, resource_json: dict[str, Any], resources_map: Any, account_id: str,
                               region_name: str) -> Any:  # fmt: skip
    """moto's creation of one resource, logged in its stack's events as CloudFormation logs it."""
    resource = ORIGINAL["parse_and_create_resource"](logical_id, resource_json, resources_map, account_id, region_name)
    stack = cloudformation_backends[account_id][region_name].stacks.get(resources_map.stack_id)
    if resource is not None and stack is not None:
        physical = str(getattr(resource, "physical_resource_id", "") or "")
        _event(stack, logical_id, "", resource_json["Type"], "CREATE_IN_PROGRESS")
        _event(stack, logical_id, physical, resource_json["Type"], "CREATE_IN_PROGRESS", "Resource creation Initiated")
        _event(stack, logical_id, physical, resource_json["Type"], "CREATE_COMPLETE")
    return resource


def _stack_update(self: Stack, *args: Any, **kwargs: Any) -> None:
    ORIGINAL["Stack.update"](self, *args, **kwargs)
    self.fleetui_updated = utcnow()  # type: ignore[attr-defined]


def _resource_status(stack: Stack) -> str:
    for prefix in ("UPDATE", "CREATE"):
        if stack.status.startswith(prefix):
            return f"{prefix}_COMPLETE"
    return "CREATE_COMPLETE"


def list_stack_resources(self: CloudFormationResponse) -> ActionResult:
    """ListStackResources with each resource's status (moto says CREATE_COMPLETE for all) and DriftInformation."""
    stack, resources = self.cloudformation_backend.list_stack_resources(self._get_param("StackName"))
    pinned = getattr(stack, "fleetui_resource_status", {})
    summaries = []
    for resource in resources:
        logical_id = getattr(resource, "logical_resource_id", "")
        status, reason = pinned.get(logical_id, (_resource_status(stack), None))
        summary = {
            "LogicalResourceId": logical_id,
            "PhysicalResourceId": getattr(resource, "physical_resource_id", ""),
            "ResourceType": getattr(resource, "cf_resource_type", ""),
            "LastUpdatedTimestamp": getattr(stack, "fleetui_updated", None) or stack.creation_time,
            "ResourceStatus": status,
            "DriftInformation": drift.resource_drift(stack, logical_id),
        }
        summaries.append(summary | ({"ResourceStatusReason": reason} if reason else {}))
    return ActionResult({"StackResourceSummaries": summaries})


def get_template_summary(self: CloudFormationResponse) -> ActionResult:
    """moto's summary (the parsed template, with its own keys), plus DeclaredTransforms: its Transform, a name or a
    list."""
    answer = ORIGINAL["get_template_summary"](self)
    summary: dict[str, Any] = answer.result
    declared = summary.get("Transform") or []
    summary["DeclaredTransforms"] = declared if isinstance(declared, list) else [declared]
    return answer  # type: ignore[no-any-return]


def detect_stack_drift(self: CloudFormationResponse) -> ActionResult:
    return ActionResult(
        {"StackDriftDetectionId": drift.detect_start(self.cloudformation_backend, self._get_param("StackName"))}
    )


def describe_stack_drift_detection_status(self: CloudFormationResponse) -> ActionResult:
    return ActionResult(drift.detect_status(self.cloudformation_backend, self._get_param("StackDriftDetectionId")))


_RESPONSES = (list_stack_resources, get_template_summary, detect_stack_drift, describe_stack_drift_detection_status)
_STACK_PROPERTIES = {
    "drift_information": property(drift.stack_drift),
    "last_updated_time": property(lambda self: getattr(self, "fleetui_updated", None)),
    "stack_status_reason": property(lambda self: getattr(self, "fleetui_status_reason", None)),
}


def install() -> None:
    """Patch moto's CloudFormation; safe to call again (the originals are taken once)."""
    ORIGINAL.setdefault("Stack.parse_template", Stack.__dict__["parse_template"].__func__)
    ORIGINAL.setdefault("ChangeSet._parse_template", ChangeSet._parse_template)
    ORIGINAL.setdefault("RestAPI.create", RestAPI.__dict__["create_from_cloudformation_json"])
    ORIGINAL.setdefault("parse_and_create_resource", parsing.parse_and_create_resource)
    ORIGINAL.setdefault("Stack.update", Stack.update)
    Stack.parse_template = staticmethod(_parse_template)  # type: ignore[method-assign,assignment]
    ChangeSet._parse_template = _change_set_parse  # type: ignore[method-assign]
    RestAPI.create_from_cloudformation_json = classmethod(_rest_api_create)  # type: ignore[method-assign,assignment]
    parsing.parse_and_create_resource = _parse_and_create_resource
    Stack.update = _stack_update  # type: ignore[method-assign]
    Deployment.physical_resource_id = property(lambda self: self.id)  # type: ignore[attr-defined]
    for name, value in _STACK_PROPERTIES.items():
        setattr(Stack, name, value)
    for function in _RESPONSES:
        name = function.__name__
        if name in CloudFormationResponse.__dict__ and name not in ORIGINAL:
            ORIGINAL[name] = CloudFormationResponse.__dict__[name]
        setattr(CloudFormationResponse, name, function)
    # moto lists its CloudFormation models once (CloudFormationModel.__subclasses__, cached): ApiGatewayStage joins.
    for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
        cached.cache_clear()


# --- control -------------------------------------------------------------------------------------------------------


def config_get() -> dict[str, Any]:
    return {"delay": drift.CONFIG.delay}


def config_set(data: dict[str, Any]) -> dict[str, Any]:
    """Apply `{"delay": seconds}`; raises ValueError (answered 400) on anything else."""
    unknown = set(data) - {"delay"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if "delay" in data:
        delay = float(data["delay"])
        if delay < 0:
            raise ValueError("'delay' must be >= 0")
        drift.CONFIG.delay = delay
    return config_get()


def config_reset() -> None:
    drift.CONFIG.delay = drift.default_delay()


def status_set(data: dict[str, Any]) -> dict[str, Any]:
    """Put a stack in `status` with `reason`, the resource `logical_id` in `resource_status` with `resource_reason`,
    and the events of the way there: the resource's failure, then the stack's status."""
    fields = {"account_id", "region", "stack", "status", "reason", "logical_id", "resource_status", "resource_reason"}
    unknown = set(data) - fields
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    backend = cloudformation_backends[str(data["account_id"])][str(data["region"])]
    stack = next((s for s in backend.stacks.values() if str(data["stack"]) in (s.name, s.stack_id)), None)
    if stack is None:
        raise ValueError(f"no stack {data['stack']!r} in {data['account_id']} {data['region']}")
    reason = str(data.get("reason") or "") or None
    logical_id = str(data.get("logical_id") or "")
    if logical_id:
        resource = stack.resource_map._parsed_resources.get(logical_id)
        if resource is None or not hasattr(resource, "cf_resource_type"):
            raise ValueError(f"no resource {logical_id!r} in stack {stack.name}")
        resource_status = str(data.get("resource_status") or "UPDATE_FAILED")
        resource_reason = str(data.get("resource_reason") or "") or reason
        stack.fleetui_resource_status = {logical_id: (resource_status, resource_reason)}  # type: ignore[attr-defined]
        physical = str(getattr(resource, "physical_resource_id", "") or "")
        _event(stack, logical_id, physical, resource.cf_resource_type, resource_status, resource_reason)
    stack.status = str(data["status"])
    stack.fleetui_status_reason = reason  # type: ignore[attr-defined]
    stack.fleetui_updated = utcnow()  # type: ignore[attr-defined]
    stack._add_stack_event(stack.status, resource_status_reason=reason)
    return {"stack": stack.stack_id, "status": stack.status}


def control(path: str, method: str) -> ControlHandler | None:
    """The service hook: the JSON handler for one of the stacks' control paths and an HTTP method, else None."""
    if path == STATUS_PATH:
        return status_set
    if path != CONTROL_PATH:
        return None
    if method == "POST":
        return config_set
    return lambda _data: config_get()
