"""Inventory pages. A list page is a declaration: a selector (FilterSet + queryset), a Table and CSV columns.

Every list view serves the full page, the htmx fragment (`#results` partial) and `?export=csv` from
one URL, so the URL always holds the whole filter state. An invalid filter value renders the page with
the form's errors and status 400, never a 500.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.decorators.http import require_POST

from fleetui.core.csvexport import Column, csv_response
from fleetui.core.htmx import template_for, vary_on_htmx
from fleetui.core.querysets import deferred_join
from fleetui.core.roles import Role, has_role, role_required
from fleetui.core.tables import (
    PER_PAGE_CHOICES,
    BaseTable,
    per_page_from,
    table_configure,
    table_sort,
    tidy_filter_form,
)

from . import selectors, tables
from .forms import AccountForm
from .models import Account, Instance

INSTANCE_CSV: list[Column] = [
    ("account_id", "account.account_id"),
    ("region", "region"),
    ("instance_id", "instance_id"),
    ("name", "name"),
    ("state", "state"),
    ("instance_type", "instance_type_id"),
    ("family", "family"),
    ("category", "category"),
    ("lifecycle", "lifecycle"),
    ("tenancy", "tenancy"),
    ("placement_group", "placement_group"),
    ("key_name", "key_name"),
    ("image_id", "image_id"),
    ("launch_time", "launch_time"),
    ("private_ip", "private_ip"),
    ("public_ip", "public_ip"),
    ("vcpus", "instance_type.vcpus"),
    ("memory_mib", "instance_type.memory_mib"),
    ("availability_zone", "availability_zone"),
    ("owner", lambda i: (i.tags or {}).get("Owner", "")),
    ("env", lambda i: (i.tags or {}).get("Env", "")),
]
RESOURCE_CSV: list[Column] = [("account_id", "account.account_id"), ("region", "region")]


class ResourceListView(View):
    """A filtered, sorted, paginated list with CSV export; subclasses only declare what to list."""

    title: ClassVar[str]
    selector: ClassVar[Callable[..., tuple[Any, Any]]]
    table_class: ClassVar[type[BaseTable]]
    csv_columns: ClassVar[Sequence[Column]]
    csv_filename: ClassVar[str]
    intro: ClassVar[str] = ""
    first_filter: ClassVar[str] = "q"
    # Filters folded under "More filters" (opened when one of them is set), so the common ones fit a row.
    more_filters: ClassVar[tuple[str, ...]] = ("gone",)
    # The resource type actions name these rows by (fleetui.actions Operation.target_type), "" for none.
    action_target_type: ClassVar[str] = ""
    # Shorter labels for the filter bar than django-filter's generated ones.
    filter_labels: ClassVar[dict[str, str]] = {}
    template_name: ClassVar[str] = "inventory/resource_list.html"

    def get(self, request: HttpRequest) -> HttpResponseBase:
        filterset, queryset = type(self).selector(filters=request.GET)
        valid = filterset.is_valid()
        table = self.table_class(deferred_join(queryset))
        bulk_kinds, create_kinds = self.actions_offered(request, table)
        if valid and request.GET.get("export") == "csv":
            # The export follows the page's sort, so the file holds exactly what the pages show.
            table_sort(table, request)
            return csv_response(queryset=table.data.data, columns=self.csv_columns, filename=self.csv_filename)
        table_configure(table, request)
        tidy_filter_form(filterset.form, labels=self.filter_labels)
        context = {
            "title": self.title,
            "intro": self.intro,
            "filter": filterset,
            "first_filter": self.first_filter,
            "more_filters": [name for name in self.more_filters if name in filterset.form.fields],
            "more_open": any(request.GET.get(name) for name in self.more_filters),
            "table": table,
            "per_page": per_page_from(request),
            "per_page_choices": PER_PAGE_CHOICES,
            "bulk_target_type": self.action_target_type if bulk_kinds else "",
            "create_kinds": create_kinds,
            **self.extra_context(request),
        }
        template = template_for(request, self.template_name, "results")
        return vary_on_htmx(render(request, template, context, status=200 if valid else 400))

    def extra_context(self, request: HttpRequest) -> Mapping[str, Any]:
        return {}

    def actions_offered(self, request: HttpRequest, table: BaseTable) -> tuple[list[Any], list[Any]]:
        """(kinds for the bulk bar, kinds that create one) among those the user may run on this list's resources.

        With no bulk kind for the user, the row checkboxes are hidden: a viewer sees no control they cannot use.
        """
        from fleetui.actions.registry import operations_for  # actions build on the inventory, not the reverse

        ops = [op for op in operations_for(self.action_target_type) if has_role(request.user, op.role)]
        bulk = [op for op in ops if op.min_targets > 0]
        if not bulk and "select" in table.columns.names():
            table.columns.hide("select")
        return bulk, [op for op in ops if op.min_targets == 0]


class InstanceListView(ResourceListView):
    title = "Instances"
    selector = staticmethod(selectors.instance_list)
    table_class = tables.InstanceTable
    csv_columns = INSTANCE_CSV
    csv_filename = "instances.csv"
    more_filters = ("image_id", "vpc_id", "security_group", "missing_tag", "has_public_ip", "gone")
    action_target_type = "instances"


class PlacementGroupListView(ResourceListView):
    title = "Placement groups"
    intro = "Members are the instances the last sync saw in each group; click a count to list them."
    selector = staticmethod(selectors.placement_group_list)
    table_class = tables.PlacementGroupTable
    csv_columns = [
        *RESOURCE_CSV,
        *[(f, f) for f in ("group_name", "group_id", "strategy", "partition_count", "state", "member_count")],
    ]
    csv_filename = "placement-groups.csv"
    action_target_type = "placement_groups"


class KeyPairListView(ResourceListView):
    title = "Key pairs"
    intro = "Click a count to list the instances launched with that key pair."
    selector = staticmethod(selectors.key_pair_list)
    table_class = tables.KeyPairTable
    csv_columns = [
        *RESOURCE_CSV,
        *[(f, f) for f in ("key_name", "key_pair_id", "key_type", "fingerprint", "create_time", "instance_count")],
    ]
    csv_filename = "key-pairs.csv"
    action_target_type = "key_pairs"


class ElasticIPListView(ResourceListView):
    title = "Elastic IPs"
    intro = "Unattached addresses (highlighted, listed first) cost money and serve nothing."
    selector = staticmethod(selectors.elastic_ip_list)
    table_class = tables.ElasticIPTable
    csv_columns = [
        *RESOURCE_CSV,
        *[(f, f) for f in ("public_ip", "allocation_id", "association_id", "instance_id", "private_ip", "domain")],
    ]
    csv_filename = "elastic-ips.csv"
    action_target_type = "elastic_ips"


class ImageListView(ResourceListView):
    title = "AMIs"
    intro = f"Images owned by the accounts. Those older than {selectors.OLD_IMAGE_DAYS} days are highlighted."
    selector = staticmethod(selectors.image_list)
    table_class = tables.ImageTable
    csv_columns = [
        *RESOURCE_CSV,
        *[(f, f) for f in ("image_id", "name", "state", "architecture", "platform", "public", "creation_date")],
    ]
    csv_filename = "images.csv"
    action_target_type = "images"


class SecurityGroupListView(ResourceListView):
    title = "Security groups"
    intro = "Rules open to 0.0.0.0/0 or ::/0 are highlighted; world_open=true keeps groups open on 22 or 3389."
    selector = staticmethod(selectors.security_group_list)
    table_class = tables.SecurityGroupTable
    csv_columns = [
        *RESOURCE_CSV,
        *[(f, f) for f in ("group_id", "group_name", "vpc_id", "world_open_admin", "description")],
    ]
    csv_filename = "security-groups.csv"
    filter_labels = {"vpc_id": "VPC", "world_open": "World-open 22/3389"}


class InstanceTypeListView(ResourceListView):
    title = "Instance types"
    intro = "The EC2 catalog from DescribeInstanceTypes. Click a type to list its instances."
    selector = staticmethod(selectors.instance_type_list)
    table_class = tables.InstanceTypeTable
    csv_columns = [
        (f, f)
        for f in (
            "name", "family", "category", "vcpus", "memory_mib", "gpus", "gpu_memory_mib", "accelerators",
            "instance_storage_gb", "network_performance", "current_generation",
        )
    ]  # fmt: skip
    csv_filename = "instance-types.csv"
    filter_labels = {"min_vcpus": "Min vCPU", "min_memory_mib": "Min memory (MiB)"}


class SyncRunListView(ResourceListView):
    title = "Sync runs"
    intro = "One row per sync of one (account, region, resource type). Failed runs are highlighted."
    first_filter = "status"
    selector = staticmethod(selectors.sync_run_list)
    table_class = tables.SyncRunTable
    csv_columns = [
        *RESOURCE_CSV,
        *[(f, f) for f in ("resource_type", "status", "started_at", "finished_at", "seen", "added", "changed")],
        ("gone", "gone"),
        ("error", "error"),
    ]
    csv_filename = "sync-runs.csv"


def overview(request: HttpRequest) -> HttpResponse:
    """Fleet counts by each dimension (each count links to the filtered list) and the audit findings."""
    data = selectors.fleet_overview()
    context = {"overview": data, "old_image_cutoff": selectors.old_image_cutoff().strftime("%Y-%m-%dT%H:%M:%S")}
    return render(request, "inventory/overview.html", context)


def instance_detail(request: HttpRequest, account_id: str, region: str, instance_id: str) -> HttpResponse:
    try:
        detail = selectors.instance_detail(account_id=account_id, region=region, instance_id=instance_id)
    except Instance.DoesNotExist:
        raise Http404("No such instance in the inventory.") from None
    return render(request, "inventory/instance_detail.html", {"detail": detail, "instance": detail.instance})


# --- Accounts -------------------------------------------------------------------------------------------------


def account_list(request: HttpRequest) -> HttpResponse:
    """Accounts with the latest sync of each (region, resource type)."""
    matrix = selectors.sync_status_matrix()
    rows = [
        {"account": account, "grid": _sync_grid(matrix.get(account.pk, []))} for account in selectors.account_list()
    ]
    return render(request, "inventory/account_list.html", {"rows": rows})


def _sync_grid(runs: list) -> dict[str, Any]:
    types = sorted({run.resource_type for run in runs})
    by_scope = {(run.region, run.resource_type): run for run in runs}
    regions = sorted({run.region for run in runs})
    return {"types": types, "regions": [(r, [by_scope.get((r, t)) for t in types]) for r in regions]}


@role_required(Role.ADMIN)
def account_create(request: HttpRequest) -> HttpResponse:
    return _account_form(request, Account())


@role_required(Role.ADMIN)
def account_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_form(request, get_object_or_404(Account, pk=pk))


def _account_form(request: HttpRequest, account: Account) -> HttpResponse:
    adding = account.pk is None
    form = AccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"{'Added' if adding else 'Saved'} {saved}. The next sync reaches it.")
        return redirect("inventory:account_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "inventory/account_form.html", {"form": form, "adding": adding}, status=status)


@role_required(Role.ADMIN)
@require_POST
def account_set_enabled(request: HttpRequest, pk: int, enabled: bool) -> HttpResponse:
    """Disable (or enable again) an account: a disabled one is not synced; its rows and history stay."""
    account = get_object_or_404(Account, pk=pk)
    account.enabled = enabled
    account.save(update_fields=["enabled"])
    messages.success(request, f"{'Enabled' if enabled else 'Disabled'} {account}.")
    return redirect("inventory:account_list")
