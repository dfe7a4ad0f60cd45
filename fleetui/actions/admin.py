"""Actions in Django admin: read-only. The audit log cannot be added to, edited or deleted there."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fleetui.core.admin import ReadOnlyAdmin

from .models import Action, ActionLogEntry


class LogInline(admin.TabularInline):
    model = ActionLogEntry
    fields = ("at", "level", "message")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ("id", "created_at", "kind", "requested_by", "account", "region", "status", "progress")
    list_filter = ("status", "kind", "region")
    search_fields = ("reason", "kind", "requested_by__username")
    inlines = [LogInline]
    actions = None  # no bulk "delete selected"
