"""EC2's read-only REST API: every list read through its page's selector (see fleetui.core.api)."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema

from fleetui.core.api import InventoryViewSet

from . import selectors
from . import serializers as s
from .models import Instance


class InstanceViewSet(InventoryViewSet):
    """EC2 instances. Filters: those of the instances page (`state`, `region`, `tag=Key=Value`, `q`, ...)."""

    selector = selectors.instance_list
    serializer_class = s.InstanceSerializer
    ordering_fields = [
        "instance_id",
        "name",
        "state",
        "region",
        "availability_zone",
        "instance_type",
        "family",
        "category",
        "lifecycle",
        "launch_time",
        "last_seen",
    ]
    ordering = ["instance_id", "id"]


class InstanceByAwsIdViewSet(InstanceViewSet):
    """One instance by its AWS address: /ec2/instances/<account_id>/<region>/<instance_id>/."""

    @extend_schema(operation_id="ec2_instances_retrieve_by_aws_id")
    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().retrieve(request, *args, **kwargs)

    def get_object(self) -> Instance:
        return get_object_or_404(
            self.get_queryset(),
            account__account_id=self.kwargs["account_id"],
            region=self.kwargs["region"],
            instance_id=self.kwargs["instance_id"],
        )


class PlacementGroupViewSet(InventoryViewSet):
    selector = selectors.placement_group_list
    serializer_class = s.PlacementGroupSerializer
    ordering_fields = ["group_name", "strategy", "region", "state"]
    ordering = ["group_name", "id"]


class KeyPairViewSet(InventoryViewSet):
    selector = selectors.key_pair_list
    serializer_class = s.KeyPairSerializer
    ordering_fields = ["key_name", "region", "create_time"]
    ordering = ["key_name", "id"]


class ElasticIPViewSet(InventoryViewSet):
    selector = selectors.elastic_ip_list
    serializer_class = s.ElasticIPSerializer
    ordering_fields = ["public_ip", "allocation_id", "region", "instance_id"]
    ordering = ["public_ip", "id"]


class ImageViewSet(InventoryViewSet):
    selector = selectors.image_list
    serializer_class = s.ImageSerializer
    ordering_fields = ["image_id", "name", "creation_date", "region", "state"]
    ordering = ["-creation_date", "id"]


class SecurityGroupViewSet(InventoryViewSet):
    selector = selectors.security_group_list
    serializer_class = s.SecurityGroupSerializer
    ordering_fields = ["group_id", "group_name", "region", "vpc_id", "severity"]
    ordering = ["group_name", "id"]


class NetworkInterfaceViewSet(InventoryViewSet):
    selector = selectors.network_interface_list
    serializer_class = s.NetworkInterfaceSerializer
    ordering_fields = ["network_interface_id", "region", "status", "instance_id"]
    ordering = ["network_interface_id", "id"]


class VolumeViewSet(InventoryViewSet):
    selector = selectors.volume_list
    serializer_class = s.VolumeSerializer
    ordering_fields = ["volume_id", "region", "size_gib", "state", "create_time"]
    ordering = ["volume_id", "id"]


class InstanceTypeViewSet(InventoryViewSet):
    """The instance-type catalog; looked up by name (`/ec2/instance-types/m5.large/`)."""

    selector = selectors.instance_type_list
    serializer_class = s.InstanceTypeSerializer
    lookup_field = "name"
    lookup_value_regex = r"[\w.-]+"
    ordering_fields = ["name", "family", "category", "vcpus", "memory_mib", "gpus"]
    ordering = ["name"]


class ReservedInstanceViewSet(InventoryViewSet):
    """Reserved Instances. Filters: those of the page (`state`, `family`, `expiring=30|60`, `unused=true`, ...)."""

    selector = selectors.reserved_instance_list
    serializer_class = s.ReservedInstanceSerializer
    ordering_fields = ["reserved_instances_id", "instance_type", "region", "end", "state", "instance_count"]
    ordering = ["end", "id"]


# /api/v1/ routes (collected by fleetui/api_urls.py): (prefix, viewset, basename).
ROUTES = [
    ("ec2/instances", InstanceViewSet, "instance"),
    ("ec2/placement-groups", PlacementGroupViewSet, "placementgroup"),
    ("ec2/key-pairs", KeyPairViewSet, "keypair"),
    ("ec2/elastic-ips", ElasticIPViewSet, "elasticip"),
    ("ec2/images", ImageViewSet, "image"),
    ("ec2/security-groups", SecurityGroupViewSet, "securitygroup"),
    ("ec2/network-interfaces", NetworkInterfaceViewSet, "networkinterface"),
    ("ec2/volumes", VolumeViewSet, "volume"),
    ("ec2/instance-types", InstanceTypeViewSet, "instancetype"),
    ("ec2/reserved-instances", ReservedInstanceViewSet, "reservedinstance"),
]
PATHS = [
    path(
        "ec2/instances/<str:account_id>/<str:region>/<str:instance_id>/",
        InstanceByAwsIdViewSet.as_view({"get": "retrieve"}),
        name="instance-by-aws-id",
    ),
]
