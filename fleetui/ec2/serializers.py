"""EC2's read-only serializers for the REST API, and the one declaration per resource of what scripts see
(fleetui.core.fields): the API's fields and the CSV export's columns derive from it."""

from rest_framework import serializers

from fleetui.core.fields import RESOURCE, api_fields, tag
from fleetui.core.fields import Field as F
from fleetui.core.serializers import ResourceSerializer

from .models import (
    ElasticIP,
    Image,
    Instance,
    InstanceType,
    KeyPair,
    NetworkInterface,
    PlacementGroup,
    ReservedInstance,
    SecurityGroup,
    Volume,
)

# What scripts see of each resource: the CSV export's columns (in this order) and the API's fields.
INSTANCE_FIELDS = [
    *RESOURCE,
    *map(F, ["instance_id", "name", "state"]),
    F("instance_type", "instance_type_id"),
    *map(F, ["family", "category", "lifecycle"]),
    F("spot_request_id", csv=False),
    F("tenancy"),
    F("host_id", csv=False),
    F("placement_group"),
    F("partition_number", csv=False),
    *map(F, ["key_name", "image_id"]),
    *(F(name, csv=False) for name in ["platform", "architecture"]),
    *map(F, ["launch_time", "private_ip", "public_ip"]),
    *(F(name, csv=False) for name in ["vpc_id", "subnet_id", "security_groups", "eni_count", "volume_ids"]),
    F("iam_instance_profile", csv=False),
    *(F(name, csv=False) for name in ["root_device_type", "instance_store_volumes", "has_instance_store"]),
    F("vcpus", "instance_type.vcpus"),
    F("memory_mib", "instance_type.memory_mib"),
    F("availability_zone"),
    F("owner", tag("Owner"), api=False),
    F("env", tag("Env"), api=False),
    F("reserved"),  # a Reserved Instance pays for all or part of it (the selector's annotation)
]
PLACEMENT_GROUP_FIELDS = [
    *RESOURCE,
    *map(F, ["group_name", "group_id", "strategy", "partition_count"]),
    F("spread_level", csv=False),
    F("state"),
    F("member_count", api=False),
]
KEY_PAIR_FIELDS = [
    *RESOURCE,
    *map(F, ["key_name", "key_pair_id", "key_type", "fingerprint", "create_time"]),
    F("instance_count", api=False),
]
ELASTIC_IP_FIELDS = [
    *RESOURCE,
    *map(F, ["public_ip", "allocation_id"]),
    F("attached", csv=False),
    F("association_id"),
    F("instance_id"),
    F("network_interface_id", csv=False),
    F("private_ip"),
    F("domain"),
]
IMAGE_FIELDS = [
    *RESOURCE,
    *map(F, ["image_id", "name"]),
    F("description", csv=False),
    F("state"),
    F("owner_id", csv=False),
    *map(F, ["architecture", "platform", "public"]),
    *(F(name, csv=False) for name in ["root_device_type", "virtualization_type"]),
    F("creation_date"),
]
SECURITY_GROUP_FIELDS = [
    *RESOURCE,
    *map(F, ["group_id", "group_name", "vpc_id", "severity", "description"]),
    *(F(name, csv=False) for name in ["ingress_rules", "egress_rules"]),
]
INSTANCE_TYPE_FIELDS = [
    *map(F, ["name", "family", "category", "vcpus", "memory_mib", "gpus", "gpu_memory_mib", "accelerators"]),
    *map(F, ["instance_storage_gb", "network_performance"]),
    *(F(name, csv=False) for name in ["instance_storage_disks", "instance_storage_nvme"]),
    F("architectures", csv=False),
    F("current_generation"),
    F("last_seen", csv=False),
]
RESERVED_INSTANCE_FIELDS = [
    *RESOURCE,
    *map(F, ["reserved_instances_id", "instance_type", "family", "scope", "availability_zone", "instance_count"]),
    *map(F, ["offering_class", "offering_type", "product_description", "instance_tenancy"]),
    *map(F, ["start", "end", "duration_seconds", "state", "fixed_price", "usage_price", "currency"]),
    F("recurring_charges", csv=False),
    F("used_units"),
]
# Lists only the API shows (their rows appear on the instance page).
NETWORK_INTERFACE_FIELDS = [
    *RESOURCE,
    *map(F, ["network_interface_id", "status", "interface_type", "availability_zone", "vpc_id", "subnet_id"]),
    *map(F, ["private_ip", "public_ip", "mac_address", "description", "instance_id", "device_index"]),
    F("security_groups"),
]
VOLUME_FIELDS = [
    *RESOURCE,
    *map(F, ["volume_id", "size_gib", "volume_type", "iops", "state", "availability_zone", "encrypted"]),
    *map(F, ["snapshot_id", "instance_id", "device", "create_time"]),
]


class InstanceTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstanceType
        fields = api_fields(INSTANCE_TYPE_FIELDS)


class InstanceSerializer(ResourceSerializer):
    # The catalog row may not be synced yet (the column is a join without a constraint), so these can be null.
    instance_type = serializers.CharField(source="instance_type_id", read_only=True, allow_null=True)
    vcpus = serializers.IntegerField(source="instance_type.vcpus", read_only=True, allow_null=True)
    memory_mib = serializers.IntegerField(source="instance_type.memory_mib", read_only=True, allow_null=True)
    reserved = serializers.BooleanField(read_only=True, help_text="a Reserved Instance pays for all or part of it")

    class Meta:
        model = Instance
        fields = api_fields(INSTANCE_FIELDS)


class ReservedInstanceSerializer(ResourceSerializer):
    used_units = serializers.FloatField(read_only=True, help_text="normalized units running instances use now")

    class Meta:
        model = ReservedInstance
        fields = api_fields(RESERVED_INSTANCE_FIELDS)


class PlacementGroupSerializer(ResourceSerializer):
    class Meta:
        model = PlacementGroup
        fields = api_fields(PLACEMENT_GROUP_FIELDS)


class KeyPairSerializer(ResourceSerializer):
    class Meta:
        model = KeyPair
        fields = api_fields(KEY_PAIR_FIELDS)


class ElasticIPSerializer(ResourceSerializer):
    attached = serializers.BooleanField(source="is_attached", read_only=True)

    class Meta:
        model = ElasticIP
        fields = api_fields(ELASTIC_IP_FIELDS)


class ImageSerializer(ResourceSerializer):
    class Meta:
        model = Image
        fields = api_fields(IMAGE_FIELDS)


class SecurityGroupSerializer(ResourceSerializer):
    class Meta:
        model = SecurityGroup
        fields = api_fields(SECURITY_GROUP_FIELDS)


class NetworkInterfaceSerializer(ResourceSerializer):
    class Meta:
        model = NetworkInterface
        fields = api_fields(NETWORK_INTERFACE_FIELDS)


class VolumeSerializer(ResourceSerializer):
    class Meta:
        model = Volume
        fields = api_fields(VOLUME_FIELDS)
