"""Instance types moto's catalog lacks. moto 5.2.5 ships only p3dn.24xlarge of the P3 family, so the demo fleet's
p3 instances would have no vCPU/memory in DescribeInstanceTypes. The figures below are AWS's published specs
for P3 (NVIDIA V100, 16 GiB each, EBS only)."""

from __future__ import annotations

import copy
from typing import Any

from moto.ec2.models.instance_types import (
    INSTANCE_FAMILIES,
    INSTANCE_TYPE_OFFERINGS,
    INSTANCE_TYPES,
    InstanceType,
    InstanceTypeBackend,
)

# type: (vCPUs, memory MiB, GPUs, network performance)
P3_SPECS = {
    "p3.2xlarge": (8, 62464, 1, "Up to 10 Gigabit"),
    "p3.8xlarge": (32, 249856, 4, "10 Gigabit"),
    "p3.16xlarge": (64, 499712, 8, "25 Gigabit"),
}
P3_ZONES = {
    "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1f"],
    "us-west-2": ["us-west-2a", "us-west-2b", "us-west-2c"],
    "eu-west-1": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
    "ap-southeast-2": ["ap-southeast-2a", "ap-southeast-2b"],
}


def _p3_entry(name: str, vcpus: int, memory_mib: int, gpus: int, network: str) -> dict[str, Any]:
    entry = copy.deepcopy(INSTANCE_TYPES["p3dn.24xlarge"])
    entry.pop("InstanceStorageInfo", None)
    entry.update(InstanceType=name, InstanceStorageSupported=False, Hypervisor="xen", BareMetal=False)
    entry["MemoryInfo"] = {"SizeInMiB": memory_mib}
    entry["VCpuInfo"] = {
        "DefaultVCpus": vcpus,
        "DefaultCores": vcpus // 2,
        "DefaultThreadsPerCore": 2,
        "ValidCores": list(range(2, vcpus // 2 + 1, 2)),
        "ValidThreadsPerCore": [1, 2],
    }
    gpu = entry["GpuInfo"]["Gpus"][0]
    gpu.update(Count=gpus, LogicalGpuCount=gpus, MemoryInfo={"SizeInMiB": 16384})
    entry["GpuInfo"]["TotalGpuMemoryInMiB"] = 16384 * gpus
    entry["NetworkInfo"]["NetworkPerformance"] = network
    entry["NetworkInfo"]["EfaSupported"] = False
    entry["NetworkInfo"].pop("EfaInfo", None)
    entry["NetworkInfo"]["NetworkCards"][0]["NetworkPerformance"] = network
    return entry


def catalog_extend() -> None:
    """Add the P3 sizes and their offerings; idempotent."""
    if "p3" not in INSTANCE_FAMILIES:
        INSTANCE_FAMILIES.append("p3")
    for name, (vcpus, memory, gpus, network) in P3_SPECS.items():
        if name in INSTANCE_TYPES:
            continue
        INSTANCE_TYPES[name] = _p3_entry(name, vcpus, memory, gpus, network)
        # DescribeInstanceTypes reads this list, built once at import from INSTANCE_TYPES.
        InstanceTypeBackend.instance_types.append(InstanceType(name))
        for region, zones in P3_ZONES.items():
            INSTANCE_TYPE_OFFERINGS["region"].setdefault(region, []).append(
                {"InstanceType": name, "Location": region, "LocationType": "region"}
            )
            for zone in zones:
                INSTANCE_TYPE_OFFERINGS["availability-zone"].setdefault(region, []).append(
                    {"InstanceType": name, "Location": zone, "LocationType": "availability-zone"}
                )
