"""The read-only REST API (/api/v1/): every inventory list, filtered by the same FilterSets as its page.

Authentication: a token (`Authorization: Token <key>`, see `manage.py api_token`) or the browser
session. Permission: any role (viewer and up); a user without a role gets 403, anonymous 401.
An invalid filter value is a 400 whose body names the field (django-filter's DRF backend raises
ValidationError from the FilterSet's form errors), never a 500.
"""

from typing import Any

from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import LimitOffsetPagination

from . import serializers as s
from .filters import (
    AccountFilterSet,
    ElasticIPFilterSet,
    ImageFilterSet,
    InstanceFilterSet,
    InstanceTypeFilterSet,
    KeyPairFilterSet,
    NetworkInterfaceFilterSet,
    PlacementGroupFilterSet,
    SecurityGroupFilterSet,
    SyncRunFilterSet,
    VolumeFilterSet,
)
from .models import (
    Account,
    ElasticIP,
    Image,
    Instance,
    InstanceType,
    KeyPair,
    NetworkInterface,
    PlacementGroup,
    SecurityGroup,
    SyncRun,
    Volume,
)


class ApiPagination(LimitOffsetPagination):
    """`?limit=&offset=`; the default page is settings.REST_FRAMEWORK["PAGE_SIZE"], and no page exceeds 1000 rows."""

    max_limit = 1000


class InventoryViewSet(viewsets.ReadOnlyModelViewSet):
    """GET only: list and retrieve. POST, PUT, PATCH and DELETE answer 405."""

    # Token first, so an anonymous request gets 401 with `WWW-Authenticate: Token` rather than a bare 403.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    pagination_class = ApiPagination
    lookup_value_regex = r"\d+"
    model: type[Model]
    # The serializers read account.account_id on every row: one join instead of one query per row.
    related: tuple[str, ...] = ("account",)

    def get_queryset(self) -> QuerySet:
        return self.model._default_manager.select_related(*self.related)


class InstanceViewSet(InventoryViewSet):
    """EC2 instances. Filters: those of the instances page (`state`, `region`, `tag=Key=Value`, `q`, ...)."""

    model = Instance
    related = ("account", "instance_type")
    serializer_class = s.InstanceSerializer
    filterset_class = InstanceFilterSet
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
    model = PlacementGroup
    serializer_class = s.PlacementGroupSerializer
    filterset_class = PlacementGroupFilterSet
    ordering_fields = ["group_name", "strategy", "region", "state"]
    ordering = ["group_name", "id"]


class KeyPairViewSet(InventoryViewSet):
    model = KeyPair
    serializer_class = s.KeyPairSerializer
    filterset_class = KeyPairFilterSet
    ordering_fields = ["key_name", "region", "create_time"]
    ordering = ["key_name", "id"]


class ElasticIPViewSet(InventoryViewSet):
    model = ElasticIP
    serializer_class = s.ElasticIPSerializer
    filterset_class = ElasticIPFilterSet
    ordering_fields = ["public_ip", "allocation_id", "region", "instance_id"]
    ordering = ["public_ip", "id"]


class ImageViewSet(InventoryViewSet):
    model = Image
    serializer_class = s.ImageSerializer
    filterset_class = ImageFilterSet
    ordering_fields = ["image_id", "name", "creation_date", "region", "state"]
    ordering = ["-creation_date", "id"]


class SecurityGroupViewSet(InventoryViewSet):
    model = SecurityGroup
    serializer_class = s.SecurityGroupSerializer
    filterset_class = SecurityGroupFilterSet
    ordering_fields = ["group_id", "group_name", "region", "vpc_id", "world_open_admin"]
    ordering = ["group_name", "id"]


class NetworkInterfaceViewSet(InventoryViewSet):
    model = NetworkInterface
    serializer_class = s.NetworkInterfaceSerializer
    filterset_class = NetworkInterfaceFilterSet
    ordering_fields = ["network_interface_id", "region", "status", "instance_id"]
    ordering = ["network_interface_id", "id"]


class VolumeViewSet(InventoryViewSet):
    model = Volume
    serializer_class = s.VolumeSerializer
    filterset_class = VolumeFilterSet
    ordering_fields = ["volume_id", "region", "size_gib", "state", "create_time"]
    ordering = ["volume_id", "id"]


class InstanceTypeViewSet(InventoryViewSet):
    """The instance-type catalog; looked up by name (`/ec2/instance-types/m5.large/`)."""

    model = InstanceType
    related = ()
    serializer_class = s.InstanceTypeSerializer
    filterset_class = InstanceTypeFilterSet
    lookup_field = "name"
    lookup_value_regex = r"[\w.-]+"
    ordering_fields = ["name", "family", "category", "vcpus", "memory_mib", "gpus"]
    ordering = ["name"]


class AccountViewSet(InventoryViewSet):
    model = Account
    related = ()
    serializer_class = s.AccountSerializer
    filterset_class = AccountFilterSet
    ordering_fields = ["name", "account_id"]
    ordering = ["name", "account_id"]


class SyncRunViewSet(InventoryViewSet):
    model = SyncRun
    serializer_class = s.SyncRunSerializer
    filterset_class = SyncRunFilterSet
    ordering_fields = ["started_at", "finished_at", "status", "resource_type", "region"]
    ordering = ["-started_at", "-id"]
