"""CloudFormation pages: three lists (ResourceListView: filters, sort, pages, htmx fragment, CSV), the stack page (its
status and findings, parameters, outputs, resources linked to the inventory, newest events and the drift button), and
the home page's panel. Every page needs the viewer role (RoleRequiredMiddleware's default).
"""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fleetui.actions.common import request_url
from fleetui.actions.registry import OPERATIONS
from fleetui.actions.views import ActionsOffered
from fleetui.core import fields
from fleetui.core.roles import has_role
from fleetui.core.views import ResourceListView

from . import selectors, tables
from . import serializers as s
from .models import Stack
from .sync import STACKS

DETECT_DRIFT = "stacks.detect_drift"


class StacksListView(ResourceListView):
    # The shared list page with the CloudFormation tabs (Stacks, Resources, Events) above it.
    template_name = "stacks/resource_list.html"


class StackListView(ActionsOffered, StacksListView):
    title = "CloudFormation stacks"
    intro = (
        "Every stack not deleted. SAM marks a stack whose template uses the AWS::Serverless transform; a failed or "
        "rolled-back stack is a finding. Click a stack for its resources, each linked to the inventory, and events."
    )
    selector = staticmethod(selectors.stack_list)
    table_class = tables.StackTable
    csv_columns = fields.csv_columns(s.STACK_FIELDS)
    csv_filename = "cloudformation-stacks.csv"
    more_filters = ("drift", "protected", "gone")
    action_target_type = STACKS


class StackResourceListView(StacksListView):
    title = "CloudFormation resources"
    intro = "What each stack created: its logical and physical id, type, status and drift, linked to the inventory."
    selector = staticmethod(selectors.resource_list)
    table_class = tables.ResourceTable
    csv_columns = fields.csv_columns(s.RESOURCE_FIELDS)
    csv_filename = "cloudformation-resources.csv"
    more_filters = ("stack_id", "physical_id", "in_inventory", "gone")


class EventListView(StacksListView):
    title = "CloudFormation events"
    intro = "The newest 100 events of each stack: what CloudFormation did, and why an operation failed."
    selector = staticmethod(selectors.event_list)
    table_class = tables.EventTable
    csv_columns = fields.csv_columns(s.EVENT_FIELDS)
    csv_filename = "cloudformation-events.csv"
    more_filters = ("stack_id", "gone")


def stack_detail(request: HttpRequest, account_id: str, region: str, name: str) -> HttpResponse:
    """The stack: its fields, findings, parameters and outputs, its resources linked to the inventory, its newest
    events, and the drift button for who may run it."""
    try:
        detail = selectors.stack_detail(account_id=account_id, region=region, name=name)
    except Stack.DoesNotExist:
        raise Http404("No such CloudFormation stack in the inventory.") from None
    stack = detail.stack
    context = {"detail": detail, "stack": stack, "drift_url": _drift_url(request, stack)}
    return render(request, "stacks/stack_detail.html", context)


def _drift_url(request: HttpRequest, stack: Stack) -> str:
    """The request page of stacks.detect_drift, or "" when the kind is not installed, the user may not run it, or
    the stack is gone."""
    op = OPERATIONS.get(DETECT_DRIFT)
    if op is None or stack.gone_at is not None or not has_role(request.user, op.role):
        return ""
    return request_url(DETECT_DRIFT, account_id=stack.account.account_id, region=stack.region, targets=[stack.stack_id])


def overview_context() -> dict[str, Any]:
    """The home page's CloudFormation panel."""
    return {"overview": selectors.stacks_overview()}
