"""Django admin: EC2's synced rows are read-only (the sync owns them)."""

from django.contrib import admin

from fleetui.core.admin import ReadOnlyAdmin, ResourceAdmin

from .models import (
    ElasticIP,
    Image,
    Instance,
    InstanceType,
    KeyPair,
    NetworkInterface,
    PlacementGroup,
    SecurityGroup,
    Volume,
)

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
        "list_display": ["group_id", "group_name", "severity", "region", "account"],
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
