"""The sync engine's pages: the home page (the overview panels services declare), accounts and sync runs."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from fleetui.core import fields
from fleetui.core.menu import OVERVIEW_PANELS
from fleetui.core.roles import Role, role_required
from fleetui.core.views import ResourceListView

from . import selectors, tables
from . import serializers as s
from .forms import AccountForm
from .models import Account


class SyncRunListView(ResourceListView):
    title = "Sync runs"
    intro = "One row per sync of one (account, region, resource type). Failed runs are highlighted."
    first_filter = "status"
    selector = staticmethod(selectors.sync_run_list)
    table_class = tables.SyncRunTable
    csv_columns = fields.csv_columns(s.SYNC_RUN_FIELDS)
    csv_filename = "sync-runs.csv"


def overview(request: HttpRequest) -> HttpResponse:
    """The home page: each service's overview panel (fleet counts linking to filtered lists, audit findings)."""
    panels = [{"template": panel.template, **panel.context_get()} for panel in OVERVIEW_PANELS]
    return render(request, "inventory/overview.html", {"panels": panels})


# --- Accounts -------------------------------------------------------------------------------------------------


def account_list(request: HttpRequest) -> HttpResponse:
    """Accounts with the latest sync of each (region, resource type)."""
    matrix = selectors.sync_status_matrix()
    rows = [
        {"account": account, "grid": _sync_grid(matrix.get(account.pk, []))}
        for account in selectors.account_list.rows()
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
