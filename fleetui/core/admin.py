"""Read-only admin bases: admins may look at synced rows and audit rows, never edit them."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


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
