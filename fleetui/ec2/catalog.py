"""Families, categories and the instance-type catalog transform (DescribeInstanceTypes -> InstanceType fields).

The family is the part of the type name before the dot (`m5.large` -> `m5`). The category comes from
the family's letter prefix; for catalog rows the hardware (GPUs, accelerators, local storage, the
memory per vCPU) breaks ties and classifies prefixes fleetui does not know. Sizes are never listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

GENERAL_PURPOSE = "general_purpose"
COMPUTE_OPTIMIZED = "compute_optimized"
MEMORY_OPTIMIZED = "memory_optimized"
ACCELERATED_COMPUTING = "accelerated_computing"
STORAGE_OPTIMIZED = "storage_optimized"
HPC_OPTIMIZED = "hpc_optimized"

CATEGORY_LABELS = {
    GENERAL_PURPOSE: "General purpose",
    COMPUTE_OPTIMIZED: "Compute optimized",
    MEMORY_OPTIMIZED: "Memory optimized",
    ACCELERATED_COMPUTING: "Accelerated computing",
    STORAGE_OPTIMIZED: "Storage optimized",
    HPC_OPTIMIZED: "HPC optimized",
}

# Matched longest prefix first, so `inf1` is accelerated (not storage, as `i` alone would say).
PREFIX_CATEGORIES = {
    "mac": GENERAL_PURPOSE,
    "t": GENERAL_PURPOSE,
    "m": GENERAL_PURPOSE,
    "a": GENERAL_PURPOSE,
    "c": COMPUTE_OPTIMIZED,
    "r": MEMORY_OPTIMIZED,
    "x": MEMORY_OPTIMIZED,
    "z": MEMORY_OPTIMIZED,
    "u": MEMORY_OPTIMIZED,
    "p": ACCELERATED_COMPUTING,
    "g": ACCELERATED_COMPUTING,
    "f": ACCELERATED_COMPUTING,
    "inf": ACCELERATED_COMPUTING,
    "trn": ACCELERATED_COMPUTING,
    "dl": ACCELERATED_COMPUTING,
    "vt": ACCELERATED_COMPUTING,
    "i": STORAGE_OPTIMIZED,
    "d": STORAGE_OPTIMIZED,
    "h": STORAGE_OPTIMIZED,
    "im": STORAGE_OPTIMIZED,
    "is": STORAGE_OPTIMIZED,
    "hpc": HPC_OPTIMIZED,
}
_LETTERS = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class TypeFacts:
    """What the instances' transform reads from the catalog for a type."""

    category: str
    disks: list[dict[str, Any]] = field(default_factory=list)  # storage_disks()


def family_of(instance_type: str) -> str:
    """`m5.large` -> `m5`; `u-6tb1.metal` -> `u-6tb1`."""
    return instance_type.partition(".")[0].lower()


def category_of(family: str) -> str:
    """The category of a family from its letter prefix, or "" when the prefix is unknown."""
    letters = _LETTERS.match(family)
    if not letters:
        return ""
    prefix = letters.group()
    for length in range(len(prefix), 0, -1):
        if prefix[:length] in PREFIX_CATEGORIES:
            return PREFIX_CATEGORIES[prefix[:length]]
    return ""


def _count(items: list[dict[str, Any]] | None) -> int:
    return sum(int(item.get("Count", 0)) for item in items or [])


def catalog_category(*, family: str, gpus: int, accelerators: int, storage_gb: int, vcpus: int, memory_mib: int) -> str:
    """The prefix's category, with the hardware as tie-breaker: GPUs or accelerators mean accelerated."""
    if gpus or accelerators:
        return ACCELERATED_COMPUTING
    found = category_of(family)
    if found and found != ACCELERATED_COMPUTING:
        return found
    if storage_gb and not found:
        return STORAGE_OPTIMIZED
    mib_per_vcpu = memory_mib / max(vcpus, 1)
    if mib_per_vcpu >= 8 * 1024:
        return MEMORY_OPTIMIZED
    if mib_per_vcpu <= 2 * 1024:
        return COMPUTE_OPTIMIZED
    return GENERAL_PURPOSE


def storage_disks(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """DescribeInstanceTypes' InstanceStorageInfo -> [{"count", "size_gb", "type" (ssd/hdd), "nvme"}], [] for EBS only.
    NvmeSupport is "required", "supported" or "unsupported"; the first two mean the disks are NVMe devices."""
    info = raw.get("InstanceStorageInfo") or {}
    nvme = info.get("NvmeSupport") in ("required", "supported")
    return [
        {"count": int(d.get("Count", 0)), "size_gb": int(d.get("SizeInGB", 0)), "type": d.get("Type", ""), "nvme": nvme}
        for d in info.get("Disks") or []
    ]


def storage_text(disks: list[dict[str, Any]]) -> str:
    """[{"count": 1, "size_gb": 475, "type": "ssd", "nvme": True}] -> "1 × 475 GB NVMe SSD"; "" for none. A root
    volume on instance store (an instance-store-backed AMI) reads "root volume /dev/sda1"."""
    parts = []
    for disk in disks:
        if disk.get("root"):
            parts.append(f"root volume {disk.get('device') or ''}".strip())
        else:
            kind = f"{'NVMe ' if disk.get('nvme') else ''}{str(disk.get('type', '')).upper()}".strip()
            parts.append(f"{disk['count']} × {disk['size_gb']} GB {kind}".strip())
    return " + ".join(parts)


def instance_type_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """One DescribeInstanceTypes item -> InstanceType field values (without last_seen)."""
    name = raw["InstanceType"]
    family = family_of(name)
    gpu_info = raw.get("GpuInfo") or {}
    gpus = _count(gpu_info.get("Gpus"))
    accelerators = (
        _count((raw.get("InferenceAcceleratorInfo") or {}).get("Accelerators"))
        + _count((raw.get("FpgaInfo") or {}).get("Fpgas"))
        + _count((raw.get("NeuronInfo") or {}).get("NeuronDevices"))
        + _count((raw.get("MediaAcceleratorInfo") or {}).get("Accelerators"))
    )
    storage_gb = int((raw.get("InstanceStorageInfo") or {}).get("TotalSizeInGB", 0))
    vcpus = int((raw.get("VCpuInfo") or {}).get("DefaultVCpus", 0))
    memory_mib = int((raw.get("MemoryInfo") or {}).get("SizeInMiB", 0))
    return {
        "name": name,
        "family": family,
        "category": catalog_category(
            family=family,
            gpus=gpus,
            accelerators=accelerators,
            storage_gb=storage_gb,
            vcpus=vcpus,
            memory_mib=memory_mib,
        ),
        "vcpus": vcpus,
        "memory_mib": memory_mib,
        "gpus": gpus,
        "gpu_memory_mib": int(gpu_info.get("TotalGpuMemoryInMiB", 0)),
        "accelerators": accelerators,
        "instance_storage_gb": storage_gb,
        "instance_storage_disks": storage_disks(raw),
        "instance_storage_nvme": (raw.get("InstanceStorageInfo") or {}).get("NvmeSupport", ""),
        "network_performance": (raw.get("NetworkInfo") or {}).get("NetworkPerformance", ""),
        "architectures": list((raw.get("ProcessorInfo") or {}).get("SupportedArchitectures", [])),
        "current_generation": bool(raw.get("CurrentGeneration", True)),
    }
