"""Which CloudFormation resource types fleetui also inventories, and how a stack resource finds its inventory row.

A `Linked` names the inventory's sync type (another service's `sync.SYNCS` key) and the field of that type's model
that equals the resource's physical id (what CloudFormation's Ref returns: an instance id, a security group id, a
function name, a cluster name or ARN, ...). The row is looked up through the inventory's sync registry, so this app
imports no other service, and only the services that are installed link; the row names itself and its page
(`label`, `get_absolute_url()`). A type missing here, or whose service is not installed, shows as text.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Linked:
    sync_type: str  # the inventory's resource type: "instances", "lambda_functions"
    field: str  # the field of its model equal to the physical id
    owned: bool = True  # False where the field is not a text column (an IP address): no subquery over it


LINKS: dict[str, Linked] = {
    "AWS::EC2::Instance": Linked("instances", "instance_id"),
    "AWS::EC2::SecurityGroup": Linked("security_groups", "group_id"),
    "AWS::EC2::KeyPair": Linked("key_pairs", "key_name"),
    "AWS::EC2::EIP": Linked("elastic_ips", "public_ip", owned=False),  # Ref gives the address; the column is an inet
    "AWS::ElasticBeanstalk::Environment": Linked("eb_environments", "environment_name"),
    "AWS::ECS::Cluster": Linked("ecs_clusters", "cluster_name"),
    "AWS::ECS::Service": Linked("ecs_services", "service_arn"),
    "AWS::EKS::Cluster": Linked("eks_clusters", "cluster_name"),
    "AWS::EMR::Cluster": Linked("emr_clusters", "cluster_id"),
    "AWS::Batch::ComputeEnvironment": Linked("batch_compute_environments", "compute_environment_arn"),
    "AWS::Lambda::Function": Linked("lambda_functions", "function_name"),
    "AWS::ApiGateway::RestApi": Linked("apigateway_rest_apis", "api_id"),
    "AWS::ApiGatewayV2::Api": Linked("apigateway_apis", "api_id"),
}
