"""Lambda pages: two lists (ResourceListView: filters, sort, pages, htmx fragment, CSV), the function page (its
configuration and findings, VPC subnets and security groups linked to EC2, versions, aliases, the event source
mappings that invoke it, and the action buttons), plus the home page's panel. Every page needs the viewer role
(RoleRequiredMiddleware's default).
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
from .filters import FUNCTIONS
from .models import Function

UPDATE_CONFIG = "lambda.update_config"
SET_CONCURRENCY = "lambda.set_concurrency"


class LambdaListView(ResourceListView):
    # The shared list page with the Lambda tabs (Functions, Event source mappings) above it.
    template_name = "lambda_/resource_list.html"


class FunctionListView(ActionsOffered, LambdaListView):
    title = "Lambda functions"
    intro = (
        "Functions with their runtime, memory and timeout (highlighted near Lambda's 10,240 MB and 900 s limits), "
        "reserved concurrency and triggers. Click a function for its VPC, versions, aliases and event sources."
    )
    selector = staticmethod(selectors.function_list)
    table_class = tables.FunctionTable
    csv_columns = fields.csv_columns(s.FUNCTION_FIELDS)
    csv_filename = "lambda-functions.csv"
    more_filters = ("architecture", "vpc", "gone")
    action_target_type = FUNCTIONS


class EventSourceMappingListView(LambdaListView):
    title = "Lambda event source mappings"
    intro = "The queues, streams and tables Lambda polls to invoke a function: state, batch size and last result."
    selector = staticmethod(selectors.event_source_mapping_list)
    table_class = tables.EventSourceMappingTable
    csv_columns = fields.csv_columns(s.EVENT_SOURCE_MAPPING_FIELDS)
    csv_filename = "lambda-event-source-mappings.csv"


def function_detail(request: HttpRequest, account_id: str, region: str, name: str) -> HttpResponse:
    """The function: its configuration and findings, VPC, versions, aliases and triggers, and the buttons of the
    actions the user may run on it."""
    try:
        detail = selectors.function_detail(account_id=account_id, region=region, name=name)
    except Function.DoesNotExist:
        raise Http404("No such Lambda function in the inventory.") from None
    function = detail.function
    context = {
        "detail": detail,
        "function": function,
        "update_url": _action_url(request, UPDATE_CONFIG, function, memory_mb=function.memory_mb,
                                  timeout_s=function.timeout_s),
        "concurrency_url": _action_url(request, SET_CONCURRENCY, function, reserved=function.reserved_concurrency),
    }  # fmt: skip
    return render(request, "lambda_/function_detail.html", context)


def _action_url(request: HttpRequest, kind: str, function: Function, **params: Any) -> str:
    """The request page of `kind` for this function (its form starting at the current values), or "" when the kind
    is not installed, the user may not run it, or the function is gone."""
    op = OPERATIONS.get(kind)
    if op is None or function.gone_at is not None or not has_role(request.user, op.role):
        return ""
    return request_url(
        kind, account_id=function.account.account_id, region=function.region, targets=[function.function_name],
        params=params,
    )  # fmt: skip


def overview_context() -> dict[str, Any]:
    """The home page's Lambda panel: the functions and their findings."""
    return {"overview": selectors.lambda_overview()}
