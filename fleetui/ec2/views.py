"""EC2's pages: the lists (declarations on fleetui.core.views.ResourceListView), an instance's page, and the
fleet overview's panel."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from fleetui.actions.views import ActionsOffered
from fleetui.core import fields
from fleetui.core.views import ResourceListView

from . import reservations, selectors, tables
from . import serializers as s
from .models import Instance, SecurityGroup


class InstanceListView(ActionsOffered):
    title = "Instances"
    selector = staticmethod(selectors.instance_list)
    table_class = tables.InstanceTable
    csv_columns = fields.csv_columns(s.INSTANCE_FIELDS)
    csv_filename = "instances.csv"
    more_filters = ("image_id", "vpc_id", "security_group", "missing_tag", "has_public_ip", "instance_store", "gone")
    action_target_type = "instances"


class PlacementGroupListView(ActionsOffered):
    title = "Placement groups"
    intro = "Members are the instances the last sync saw in each group; click a count to list them."
    selector = staticmethod(selectors.placement_group_list)
    table_class = tables.PlacementGroupTable
    csv_columns = fields.csv_columns(s.PLACEMENT_GROUP_FIELDS)
    csv_filename = "placement-groups.csv"
    action_target_type = "placement_groups"


class KeyPairListView(ActionsOffered):
    title = "Key pairs"
    intro = "Click a count to list the instances launched with that key pair."
    selector = staticmethod(selectors.key_pair_list)
    table_class = tables.KeyPairTable
    csv_columns = fields.csv_columns(s.KEY_PAIR_FIELDS)
    csv_filename = "key-pairs.csv"
    action_target_type = "key_pairs"


class ElasticIPListView(ActionsOffered):
    title = "Elastic IPs"
    intro = "Unattached addresses (highlighted, listed first) cost money and serve nothing."
    selector = staticmethod(selectors.elastic_ip_list)
    table_class = tables.ElasticIPTable
    csv_columns = fields.csv_columns(s.ELASTIC_IP_FIELDS)
    csv_filename = "elastic-ips.csv"
    action_target_type = "elastic_ips"


class ImageListView(ActionsOffered):
    title = "AMIs"
    intro = f"Images owned by the accounts. Those older than {selectors.OLD_IMAGE_DAYS} days are highlighted."
    selector = staticmethod(selectors.image_list)
    table_class = tables.ImageTable
    csv_columns = fields.csv_columns(s.IMAGE_FIELDS)
    csv_filename = "images.csv"
    action_target_type = "images"


class SecurityGroupListView(ResourceListView):
    title = "Security groups"
    intro = (
        "Ingress open to 0.0.0.0/0 or ::/0 is a finding: critical on admin and database ports (22, 3389, 3306, 5432, "
        "1433, 27017, 6379, 9200), a warning on other ports, info on 80 and 443. Egress to anywhere is not one."
    )
    selector = staticmethod(selectors.security_group_list)
    table_class = tables.SecurityGroupTable
    csv_columns = fields.csv_columns(s.SECURITY_GROUP_FIELDS)
    csv_filename = "security-groups.csv"


class InstanceTypeListView(ResourceListView):
    title = "Instance types"
    intro = "The EC2 catalog from DescribeInstanceTypes. Click a type to list its instances."
    selector = staticmethod(selectors.instance_type_list)
    table_class = tables.InstanceTypeTable
    csv_columns = fields.csv_columns(s.INSTANCE_TYPE_FIELDS)
    csv_filename = "instance-types.csv"


class ReservedInstanceListView(ResourceListView):
    title = "Reserved Instances"
    intro = (
        "Reservations bought in each account and region (DescribeReservedInstances). Used is the share of the "
        "normalized units that running on-demand instances use now; see coverage by family."
    )
    selector = staticmethod(selectors.reserved_instance_list)
    table_class = tables.ReservedInstanceTable
    csv_columns = fields.csv_columns(s.RESERVED_INSTANCE_FIELDS)
    csv_filename = "reserved-instances.csv"
    template_name = "ec2/reserved_instance_list.html"

    def extra_context(self, request: HttpRequest) -> dict[str, Any]:
        return {"scheduled": selectors.scheduled_instances()}


def reservation_coverage(request: HttpRequest) -> HttpResponse:
    """Coverage and utilization per family in each account and region."""
    return render(request, "ec2/reservation_coverage.html", {"families": reservations.family_coverage()})


def instance_detail(request: HttpRequest, account_id: str, region: str, instance_id: str) -> HttpResponse:
    try:
        detail = selectors.instance_detail(account_id=account_id, region=region, instance_id=instance_id)
    except Instance.DoesNotExist:
        raise Http404("No such instance in the inventory.") from None
    return render(request, "ec2/instance_detail.html", {"detail": detail, "instance": detail.instance})


def security_group_detail(request: HttpRequest, account_id: str, region: str, group_id: str) -> HttpResponse:
    try:
        detail = selectors.security_group_detail(account_id=account_id, region=region, group_id=group_id)
    except SecurityGroup.DoesNotExist:
        raise Http404("No such security group in the inventory.") from None
    return render(request, "ec2/security_group_detail.html", {"detail": detail, "group": detail.group})


def overview_context() -> dict[str, Any]:
    """The fleet overview's EC2 panel: instance counts by each dimension and the audit findings."""
    overview = selectors.fleet_overview()
    return {
        "overview": overview,
        "owners": overview.owners,
        "old_image_cutoff": selectors.old_image_cutoff().strftime("%Y-%m-%dT%H:%M:%SZ"),  # UTC, whatever the zone
        "reservations": reservations.reservation_findings(),
        "reservations_url": reverse("ec2:reserved_instance_list"),
    }
