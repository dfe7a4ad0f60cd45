"""Read-only admin bases: admins may look at synced rows and audit rows, never edit them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import SavedView


class ReadOnlyAdmin(admin.ModelAdmin):
    """Admins may look, never edit: the sync owns inventory rows (an edit would be overwritten), and action rows
    are the audit log."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ResourceAdmin(ReadOnlyAdmin):
    list_select_related = ["account"]
    list_filter = ["region", ("gone_at", admin.EmptyFieldListFilter)]


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    """Saved views: people manage their own on the Views page; admins may look here and delete any."""

    list_display = ["name", "list_name", "user", "pinned", "shared", "updated_at"]
    list_filter = ["list_name", "pinned", "shared"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "query"]
    readonly_fields = ["user", "list_name", "query", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a view is saved from its list, which knows its URL name and query
