"""The sandbox's SAM transform (fleetui.sandbox.stacks.sam), as SAM's generated-resources reference names what it
generates: a function with its role and permissions, an explicit API with its deployment and stage, the implicit
ServerlessRestApi for events naming no API, Globals merged, and a template without the transform left alone."""

from fleetui.sandbox.stacks.sam import expand

FUNCTION = {
    "Type": "AWS::Serverless::Function",
    "Properties": {
        "Handler": "app.handler", "Runtime": "python3.12", "CodeUri": "s3://artifacts/orders.zip",
        "Events": {"Hello": {"Type": "Api", "Properties": {"Path": "/hello", "Method": "get"}}},
    },
}  # fmt: skip


def test_a_function_and_the_implicit_api():
    template = {"Transform": "AWS::Serverless-2016-10-31", "Globals": {"Function": {"Timeout": 20}},
                "Resources": {"Hello": FUNCTION}}  # fmt: skip
    out = expand(template)
    types = {logical: resource["Type"] for logical, resource in out["Resources"].items()}
    deployment = next(k for k in types if k.startswith("ServerlessRestApiDeployment"))
    assert len(deployment) == len("ServerlessRestApiDeployment") + 10
    assert types == {
        "Hello": "AWS::Lambda::Function",
        "HelloRole": "AWS::IAM::Role",
        "HelloHelloPermissionProd": "AWS::Lambda::Permission",
        "ServerlessRestApi": "AWS::ApiGateway::RestApi",
        deployment: "AWS::ApiGateway::Deployment",
        "ServerlessRestApiProdStage": "AWS::ApiGateway::Stage",
    }
    function = out["Resources"]["Hello"]["Properties"]
    assert function["Code"] == {"S3Bucket": "artifacts", "S3Key": "orders.zip"} and function["Timeout"] == 20
    assert function["Role"] == {"Fn::GetAtt": ["HelloRole", "Arn"]}
    assert {"Key": "lambda:createdBy", "Value": "SAM"} in function["Tags"]
    body = out["Resources"]["ServerlessRestApi"]["Properties"]["Body"]
    assert body["swagger"] == "2.0" and body["paths"]["/hello"]["get"]["x-amazon-apigateway-integration"]["type"] == (
        "aws_proxy"
    )
    assert "Globals" not in out and template["Resources"]["Hello"] is FUNCTION  # the input is left as it was


def test_an_explicit_api_its_stage_and_a_template_without_the_transform():
    api = {"Type": "AWS::Serverless::Api", "Properties": {"StageName": "prod", "Name": "orders-api"}}
    function = {
        **FUNCTION,
        "Properties": {
            **FUNCTION["Properties"],
            "Role": "arn:aws:iam::1:role/x",
            "Events": {
                "List": {
                    "Type": "Api",
                    "Properties": {"RestApiId": {"Ref": "OrdersApi"}, "Path": "/o", "Method": "any"},
                }
            },
        },
    }
    out = expand({"Transform": ["AWS::Serverless-2016-10-31"], "Resources": {"OrdersApi": api, "Fn": function}})
    resources = out["Resources"]
    assert "FnRole" not in resources and resources["Fn"]["Properties"]["Role"] == "arn:aws:iam::1:role/x"
    assert resources["OrdersApiprodStage"]["Properties"]["StageName"] == "prod"
    assert resources["OrdersApi"]["Properties"]["Name"] == "orders-api"
    assert "x-amazon-apigateway-any-method" in resources["OrdersApi"]["Properties"]["Body"]["paths"]["/o"]
    assert "FnListPermissionprod" in resources and "ServerlessRestApi" not in resources
    plain = {"Resources": {"Fn": FUNCTION}}
    assert expand(plain) is plain
