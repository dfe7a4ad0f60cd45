"""The sandbox's API Gateway: REST stages carry AWS's createdDate and lastUpdatedDate (moto's lack them), an update
moves lastUpdatedDate, and the demo seed's APIs (hook order: after every older service, so their ids stay)."""

import time

import boto3

from fleetui.sandbox.apigateway.seed import apigateway_seed, describe, lambda_uri
from fleetui.sandbox.services import service_packages


def test_rest_stages_have_created_and_updated_dates(aws):
    client = boto3.client("apigateway", region_name="us-east-1", endpoint_url=aws)
    api = client.create_rest_api(name="dates")
    resource = client.create_resource(restApiId=api["id"], parentId=api["rootResourceId"], pathPart="x")
    client.put_method(restApiId=api["id"], resourceId=resource["id"], httpMethod="GET", authorizationType="NONE")
    client.put_integration(
        restApiId=api["id"], resourceId=resource["id"], httpMethod="GET", type="AWS_PROXY",
        integrationHttpMethod="POST", uri=lambda_uri("x"),
    )  # fmt: skip
    client.create_deployment(restApiId=api["id"], stageName="prod")
    made = client.get_stage(restApiId=api["id"], stageName="prod")
    assert made["createdDate"] == made["lastUpdatedDate"]
    time.sleep(1.1)  # AWS's dates are whole seconds
    client.update_stage(
        restApiId=api["id"], stageName="prod", patchOperations=[{"op": "replace", "path": "/description", "value": "d"}]
    )
    listed = client.get_stages(restApiId=api["id"])["item"][0]
    assert listed["createdDate"] == made["createdDate"] and listed["lastUpdatedDate"] > made["createdDate"]


def test_demo_seed_without_an_instance_leaves_out_the_health_route_and_runs_last(aws):
    assert apigateway_seed(endpoint=aws, regions=["eu-west-1"]) == {"apis": 0, "routes": 0, "stages": 0}
    counts = apigateway_seed(endpoint=aws, regions=["us-east-1"])
    assert counts == {"apis": 3, "routes": 7, "stages": 4}
    assert describe({"apigateway": counts}) == "3 API Gateway APIs with 7 routes"
    names = [package.__name__.rsplit(".", 1)[-1] for package in service_packages()]
    assert names.index("apigateway") > max(names.index(n) for n in ("batch", "beanstalk", "ec2", "ecs", "eks", "emr"))
