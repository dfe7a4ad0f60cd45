"""Which CloudFormation resource types fleetui also inventories, and how a stack resource finds its inventory row.

A `Linked` names the inventory's sync type (another service's `sync.SYNCS` key) and the field of that type's model
that equals the resource's physical id (what CloudFormation's Ref returns: an instance id, a security group id, a
function name, a cluster name or ARN, ...). The row is looked up through the inventory's sync registry, so this app
imports no other service, and only the services that are installed link; the page link is the service's URL name,
resolved when a row was found. A type missing here, or whose service is not installed, shows as text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode


def _detail(url_name: str, *fields: str) -> Callable[[Any], str]:
    """A detail page whose URL takes the account id, the region, then `fields` of the row."""

    def url(row: Any) -> str:
        return reverse(url_name, args=[row.account.account_id, row.region, *(getattr(row, f) for f in fields)])

    return url


def _listed(url_name: str, field: str) -> Callable[[Any], str]:
    """A list page (no detail page of its own) filtered to the row by `?q=` in its account and region."""

    def url(row: Any) -> str:
        query = {"account": row.account.account_id, "region": row.region, "q": getattr(row, field)}
        return reverse(url_name) + "?" + urlencode(query)

    return url


@dataclass(frozen=True)
class Linked:
    sync_type: str  # the inventory's resource type: "instances", "lambda_functions"
    field: str  # the field of its model equal to the physical id
    url: Callable[[Any], str]
    label: str = ""  # the row's field that names it (its Name tag, its name), shown before the id
    owned: bool = True  # False where the field is not a text column (an IP address): no subquery over it

    def url_of(self, row: Any) -> str:
        try:
            return self.url(row)
        except NoReverseMatch:  # the service's pages are not mounted (a worker, a trimmed install)
            return ""

    def label_of(self, row: Any) -> str:
        return str(getattr(row, self.label, "") or "") if self.label else ""


LINKS: dict[str, Linked] = {
    "AWS::EC2::Instance": Linked("instances", "instance_id", _detail("ec2:instance_detail", "instance_id"), "name"),
    "AWS::EC2::SecurityGroup": Linked(
        "security_groups", "group_id", _listed("ec2:security_group_list", "group_id"), "group_name"
    ),
    "AWS::EC2::KeyPair": Linked("key_pairs", "key_name", _listed("ec2:key_pair_list", "key_name")),
    "AWS::EC2::EIP": Linked(
        "elastic_ips", "public_ip", _listed("ec2:elastic_ip_list", "allocation_id"), owned=False
    ),  # Ref gives the address; the column is an inet
    "AWS::ElasticBeanstalk::Environment": Linked(
        "eb_environments", "environment_name", _detail("beanstalk:environment_detail", "environment_id")
    ),
    "AWS::ECS::Cluster": Linked("ecs_clusters", "cluster_name", _detail("ecs:cluster_detail", "cluster_name")),
    "AWS::ECS::Service": Linked(
        "ecs_services", "service_arn", _detail("ecs:service_detail", "cluster_name", "service_name"), "service_name"
    ),
    "AWS::EKS::Cluster": Linked("eks_clusters", "cluster_name", _detail("eks:cluster_detail", "cluster_name")),
    "AWS::EMR::Cluster": Linked("emr_clusters", "cluster_id", _detail("emr:cluster_detail", "cluster_id"), "name"),
    "AWS::Batch::ComputeEnvironment": Linked(
        "batch_compute_environments",
        "compute_environment_arn",
        _detail("batch:compute_environment_detail", "name"),
        "name",
    ),
    "AWS::Lambda::Function": Linked(
        "lambda_functions", "function_name", _detail("lambda_:function_detail", "function_name")
    ),
    "AWS::ApiGateway::RestApi": Linked(
        "apigateway_rest_apis", "api_id", _detail("apigateway:rest_api_detail", "api_id"), "name"
    ),
    "AWS::ApiGatewayV2::Api": Linked("apigateway_apis", "api_id", _detail("apigateway:api_detail", "api_id"), "name"),
}
