"""Django admin: accounts are editable (with the same validation as the page); synced rows are read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .forms import AccountForm
from .models import (
    Account,
    ElasticIP,
    Image,
    Instance,
    InstanceType,
    KeyPair,
    NetworkInterface,
    PlacementGroup,
    SecurityGroup,
    SyncRun,
    Volume,
)


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    form = AccountForm
    list_display = ["name", "account_id", "role_arn", "enabled", "created_at"]
    list_filter = ["enabled"]
    search_fields = ["name", "account_id", "role_arn"]


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


RESOURCE_ADMINS: dict[type, dict[str, list[str]]] = {
    Instance: {
        "list_display": ["instance_id", "name", "state", "instance_type_id", "lifecycle", "region", "account"],
        "search_fields": ["instance_id", "name", "private_ip", "public_ip"],
    },
    PlacementGroup: {
        "list_display": ["group_name", "strategy", "state", "region", "account"],
        "search_fields": ["group_name"],
    },
    KeyPair: {"list_display": ["key_name", "key_type", "region", "account"], "search_fields": ["key_name"]},
    ElasticIP: {
        "list_display": ["public_ip", "allocation_id", "instance_id", "region", "account"],
        "search_fields": ["public_ip", "allocation_id", "instance_id"],
    },
    Image: {
        "list_display": ["image_id", "name", "state", "creation_date", "region", "account"],
        "search_fields": ["image_id", "name"],
    },
    SecurityGroup: {
        "list_display": ["group_id", "group_name", "world_open_admin", "region", "account"],
        "search_fields": ["group_id", "group_name"],
    },
    NetworkInterface: {
        "list_display": ["network_interface_id", "status", "instance_id", "region", "account"],
        "search_fields": ["network_interface_id", "instance_id", "private_ip"],
    },
    Volume: {
        "list_display": ["volume_id", "size_gib", "volume_type", "state", "instance_id", "region", "account"],
        "search_fields": ["volume_id", "instance_id"],
    },
}
for _model, _options in RESOURCE_ADMINS.items():
    admin.site.register(_model, type(f"{_model.__name__}Admin", (ResourceAdmin,), _options))


@admin.register(InstanceType)
class InstanceTypeAdmin(ReadOnlyAdmin):
    list_display = ["name", "family", "category", "vcpus", "memory_mib", "gpus", "current_generation"]
    list_filter = ["category", "current_generation"]
    search_fields = ["name", "family"]


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
