"""EC2's read-only serializers for the REST API (see fleetui.core.serializers)."""

from rest_framework import serializers

from fleetui.core.serializers import RESOURCE_FIELDS, ResourceSerializer

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


class InstanceTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = InstanceType
        fields = [
            "name",
            "family",
            "category",
            "vcpus",
            "memory_mib",
            "gpus",
            "gpu_memory_mib",
            "accelerators",
            "instance_storage_gb",
            "network_performance",
            "architectures",
            "current_generation",
            "last_seen",
        ]


class InstanceSerializer(ResourceSerializer):
    # The catalog row may not be synced yet (the column is a join without a constraint), so these can be null.
    instance_type = serializers.CharField(source="instance_type_id", read_only=True)
    vcpus = serializers.IntegerField(source="instance_type.vcpus", read_only=True, allow_null=True)
    memory_mib = serializers.IntegerField(source="instance_type.memory_mib", read_only=True, allow_null=True)

    class Meta:
        model = Instance
        fields = [
            *RESOURCE_FIELDS,
            "instance_id",
            "name",
            "state",
            "availability_zone",
            "instance_type",
            "family",
            "category",
            "vcpus",
            "memory_mib",
            "lifecycle",
            "spot_request_id",
            "tenancy",
            "host_id",
            "placement_group",
            "partition_number",
            "key_name",
            "image_id",
            "platform",
            "architecture",
            "launch_time",
            "private_ip",
            "public_ip",
            "vpc_id",
            "subnet_id",
            "security_groups",
            "eni_count",
            "volume_ids",
            "iam_instance_profile",
        ]


class PlacementGroupSerializer(ResourceSerializer):
    class Meta:
        model = PlacementGroup
        fields = [*RESOURCE_FIELDS, "group_name", "group_id", "strategy", "partition_count", "spread_level", "state"]


class KeyPairSerializer(ResourceSerializer):
    class Meta:
        model = KeyPair
        fields = [*RESOURCE_FIELDS, "key_name", "key_pair_id", "key_type", "fingerprint", "create_time"]


class ElasticIPSerializer(ResourceSerializer):
    attached = serializers.BooleanField(source="is_attached", read_only=True)

    class Meta:
        model = ElasticIP
        fields = [
            *RESOURCE_FIELDS,
            "allocation_id",
            "public_ip",
            "domain",
            "attached",
            "association_id",
            "instance_id",
            "network_interface_id",
            "private_ip",
        ]


class ImageSerializer(ResourceSerializer):
    class Meta:
        model = Image
        fields = [
            *RESOURCE_FIELDS,
            "image_id",
            "name",
            "description",
            "state",
            "owner_id",
            "public",
            "architecture",
            "platform",
            "root_device_type",
            "virtualization_type",
            "creation_date",
        ]


class SecurityGroupSerializer(ResourceSerializer):
    class Meta:
        model = SecurityGroup
        fields = [
            *RESOURCE_FIELDS,
            "group_id",
            "group_name",
            "description",
            "vpc_id",
            "world_open_admin",
            "ingress_rules",
            "egress_rules",
        ]


class NetworkInterfaceSerializer(ResourceSerializer):
    class Meta:
        model = NetworkInterface
        fields = [
            *RESOURCE_FIELDS,
            "network_interface_id",
            "status",
            "interface_type",
            "availability_zone",
            "vpc_id",
            "subnet_id",
            "private_ip",
            "public_ip",
            "mac_address",
            "description",
            "instance_id",
            "device_index",
            "security_groups",
        ]


class VolumeSerializer(ResourceSerializer):
    class Meta:
        model = Volume
        fields = [
            *RESOURCE_FIELDS,
            "volume_id",
            "size_gib",
            "volume_type",
            "iops",
            "state",
            "availability_zone",
            "encrypted",
            "snapshot_id",
            "instance_id",
            "device",
            "create_time",
        ]
