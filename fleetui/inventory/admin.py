"""Django admin: accounts are editable (with the same validation as the page); sync runs are read-only."""

from django.contrib import admin

from fleetui.core.admin import ReadOnlyAdmin

from .forms import AccountForm
from .models import Account, SyncRun


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
