"""Django admin: accounts are editable (with the same validation as the page); sync runs and changes are read-only."""

from django.contrib import admin

from fleetui.core.admin import ReadOnlyAdmin

from .forms import AccountForm
from .models import Account, ResourceChange, SyncRun


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    form = AccountForm
    list_display = ["name", "account_id", "role_arn", "enabled", "created_at"]
    list_filter = ["enabled"]
    search_fields = ["name", "account_id", "role_arn"]


@admin.register(SyncRun)
class SyncRunAdmin(ReadOnlyAdmin):
    list_display = [
        "resource_type",
        "account",
        "region",
        "status",
        "started_at",
        "finished_at",
        "added",
        "changed",
        "gone",
    ]
    list_filter = ["status", "resource_type", "region"]
    list_select_related = ["account"]


@admin.register(ResourceChange)
class ResourceChangeAdmin(ReadOnlyAdmin):
    """The inventory history: read-only (records are append-only; only retention removes them)."""

    list_display = ["at", "resource_type", "account", "region", "resource_id", "kind", "actor", "action_id"]
    list_filter = ["kind", "resource_type", "region"]
    search_fields = ["resource_id", "actor"]
    list_select_related = ["account"]
    date_hierarchy = "at"
