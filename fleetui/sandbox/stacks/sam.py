"""The SAM transform (`Transform: AWS::Serverless-2016-10-31`) for the sandbox: moto 5.2.5 accepts it and creates
nothing of the serverless resources. `expand(template)` rewrites them into the CloudFormation resources SAM
generates, named as SAM's "generated resources" reference names them, before moto creates the stack:

- AWS::Serverless::Function `F` -> AWS::Lambda::Function `F` (Handler, Runtime, MemorySize, Timeout, Environment,
  Architectures, Description, FunctionName; CodeUri -> Code.S3Bucket/S3Key, InlineCode -> Code.ZipFile; Tags plus
  SAM's `lambda:createdBy: SAM`) and, when it names no Role, AWS::IAM::Role `FRole` trusted by lambda.amazonaws.com
  with AWSLambdaBasicExecutionRole and its Policies' managed policies; each Api event `E` adds the
  AWS::Lambda::Permission `FEPermission<stage>` and its path and method to its API's definition.
- AWS::Serverless::Api `A` (and, for Api events naming no RestApiId, the implicit `ServerlessRestApi` with stage
  "Prod") -> AWS::ApiGateway::RestApi `A` (its Body the DefinitionBody, or the swagger 2.0 document of its events'
  paths, each an aws_proxy integration of its function), AWS::ApiGateway::Deployment `ADeployment<sha>` (the first
  10 hex digits of the definition's SHA-1) and AWS::ApiGateway::Stage `A<stage>Stage`.
- The `Globals` section's Function and Api properties are merged into each function and API first.
Other serverless types (SimpleTable, HttpApi, StateMachine, ...) are left as they are; moto skips them.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

SAM = "AWS::Serverless-2016-10-31"
IMPLICIT_API = "ServerlessRestApi"
IMPLICIT_STAGE = "Prod"
BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
FUNCTION_KEYS = (
    "Handler", "Runtime", "MemorySize", "Timeout", "Environment", "Architectures", "Description", "FunctionName",
    "Layers", "VpcConfig", "ReservedConcurrentExecutions", "EphemeralStorage", "PackageType", "ImageUri",
)  # fmt: skip


def uses_sam(template: dict[str, Any]) -> bool:
    transform = template.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    return SAM in names


def expand(template: dict[str, Any]) -> dict[str, Any]:
    """The template with its serverless functions and APIs expanded (see the module docstring); unchanged when it
    does not declare the SAM transform. The input is not modified."""
    if not isinstance(template, dict) or not uses_sam(template):
        return template
    out = copy.deepcopy(template)
    globals_ = out.pop("Globals", {}) or {}
    resources: dict[str, Any] = out.get("Resources") or {}
    apis: dict[str, dict[str, Any]] = {}  # logical id -> {"stage", "paths", "definition"}
    for logical_id, resource in list(resources.items()):
        if resource.get("Type") == "AWS::Serverless::Api":
            props = {**(globals_.get("Api") or {}), **(resource.get("Properties") or {})}
            apis[logical_id] = {"props": props, "stage": str(props.get("StageName", IMPLICIT_STAGE)), "paths": {}}
    expanded: dict[str, Any] = {}
    for logical_id, resource in resources.items():
        if resource.get("Type") == "AWS::Serverless::Function":
            props = {**(globals_.get("Function") or {}), **(resource.get("Properties") or {})}
            expanded.update(_function(logical_id, resource, props, apis))
        elif resource.get("Type") != "AWS::Serverless::Api":
            expanded[logical_id] = resource
    for logical_id, api in apis.items():
        expanded.update(_api(logical_id, api))
    out["Resources"] = expanded
    return out


def _kept(resource: dict[str, Any], properties: dict[str, Any], kind: str) -> dict[str, Any]:
    """A generated resource keeping the serverless one's DependsOn and Condition."""
    kept: dict[str, Any] = {key: resource[key] for key in ("DependsOn", "Condition") if key in resource}
    return {"Type": kind, "Properties": properties, **kept}


def _code(props: dict[str, Any]) -> dict[str, Any]:
    if "InlineCode" in props:
        return {"ZipFile": props["InlineCode"]}
    uri = props.get("CodeUri")
    if isinstance(uri, dict):
        code = {"S3Bucket": uri.get("Bucket"), "S3Key": uri.get("Key")}
        return code | ({"S3ObjectVersion": uri["Version"]} if uri.get("Version") else {})
    if isinstance(uri, str) and uri.startswith("s3://"):
        bucket, _sep, key = uri[len("s3://") :].partition("/")
        return {"S3Bucket": bucket, "S3Key": key}
    return {"ZipFile": "def handler(event, context):\n    return {}\n"}  # a local path SAM CLI would have uploaded


def _role(props: dict[str, Any]) -> dict[str, Any]:
    policies = props.get("Policies") or []
    policies = policies if isinstance(policies, list) else [policies]
    managed = [BASIC_EXECUTION] + [
        p if p.startswith("arn:") else f"arn:aws:iam::aws:policy/{p}" for p in policies if isinstance(p, str)
    ]
    return {
        "AssumeRolePolicyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"Service": ["lambda.amazonaws.com"]}}
            ],
        },
        "ManagedPolicyArns": managed,
        "Tags": [{"Key": "lambda:createdBy", "Value": "SAM"}],
    }


def _function(
    logical_id: str, resource: dict[str, Any], props: dict[str, Any], apis: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    generated: dict[str, Any] = {}
    function = {key: props[key] for key in FUNCTION_KEYS if key in props}
    function["Code"] = _code(props)
    tags = {"lambda:createdBy": "SAM", **(props.get("Tags") or {})}
    function["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
    if props.get("Role"):
        function["Role"] = props["Role"]
    else:
        generated[f"{logical_id}Role"] = _kept(resource, _role(props), "AWS::IAM::Role")
        function["Role"] = {"Fn::GetAtt": [f"{logical_id}Role", "Arn"]}
    generated[logical_id] = _kept(resource, function, "AWS::Lambda::Function")
    for event_id, event in (props.get("Events") or {}).items():
        if event.get("Type") != "Api":
            continue
        event_props = event.get("Properties") or {}
        api_id = _api_logical_id(event_props.get("RestApiId"))
        api = apis.setdefault(api_id, {"props": {}, "stage": IMPLICIT_STAGE, "paths": {}})
        method = str(event_props.get("Method", "any")).lower()
        method = "x-amazon-apigateway-any-method" if method == "any" else method
        api["paths"].setdefault(str(event_props.get("Path", "/")), {})[method] = {
            "x-amazon-apigateway-integration": {
                "type": "aws_proxy",
                "httpMethod": "POST",
                "uri": {
                    "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
                    f"${{{logical_id}.Arn}}/invocations"
                },
            },
            "responses": {},
        }
        generated[f"{logical_id}{event_id}Permission{api['stage']}"] = _kept(
            resource,
            {
                "Action": "lambda:InvokeFunction",
                "FunctionName": {"Ref": logical_id},
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": {
                    "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:"
                    f"${{{api_id}}}/{api['stage']}/*"
                },
            },
            "AWS::Lambda::Permission",
        )
    return generated


def _api_logical_id(rest_api_id: Any) -> str:
    if isinstance(rest_api_id, dict) and "Ref" in rest_api_id:
        return str(rest_api_id["Ref"])
    return str(rest_api_id) if rest_api_id else IMPLICIT_API


def _api(logical_id: str, api: dict[str, Any]) -> dict[str, Any]:
    props, stage = api["props"], api["stage"]
    body = props.get("DefinitionBody") or {
        "swagger": "2.0",
        "info": {"version": "1.0", "title": props.get("Name") or {"Ref": "AWS::StackName"}},
        "paths": api["paths"],
    }
    sha = hashlib.sha1(json.dumps(body, sort_keys=True, default=str).encode(), usedforsecurity=False).hexdigest()[:10]
    rest_api = {"Name": props.get("Name") or {"Ref": "AWS::StackName"}, "Body": body}
    rest_api |= {key: props[key] for key in ("Description", "EndpointConfiguration") if key in props}
    if isinstance(rest_api.get("EndpointConfiguration"), str):
        rest_api["EndpointConfiguration"] = {"Types": [rest_api["EndpointConfiguration"]]}
    deployment = f"{logical_id}Deployment{sha}"
    stage_props: dict[str, Any] = {
        "RestApiId": {"Ref": logical_id}, "DeploymentId": {"Ref": deployment}, "StageName": stage,
    }  # fmt: skip
    if props.get("Variables"):
        stage_props["Variables"] = props["Variables"]
    return {
        logical_id: {"Type": "AWS::ApiGateway::RestApi", "Properties": rest_api},
        deployment: {
            "Type": "AWS::ApiGateway::Deployment",
            "Properties": {"RestApiId": {"Ref": logical_id}, "Description": f"RestApi deployment id: {sha}"},
        },
        f"{logical_id}{stage}Stage": {"Type": "AWS::ApiGateway::Stage", "Properties": stage_props},
    }
