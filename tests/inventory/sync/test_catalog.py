"""Family and category from the type name: longest prefix first, never a list of sizes."""

import pytest

from fleetui.inventory.sync.catalog import category_of, family_of


@pytest.mark.parametrize(
    ("instance_type", "family", "category"),
    [
        ("m5.large", "m5", "general-purpose"),
        ("t3.micro", "t3", "general-purpose"),
        ("a1.medium", "a1", "general-purpose"),
        ("mac2-m2pro.metal", "mac2-m2pro", "general-purpose"),
        ("c5.9xlarge", "c5", "compute-optimized"),
        ("c7i-flex.large", "c7i-flex", "compute-optimized"),
        ("r5b.large", "r5b", "memory-optimized"),
        ("x1e.xlarge", "x1e", "memory-optimized"),
        ("z1d.large", "z1d", "memory-optimized"),
        ("u-6tb1.metal", "u-6tb1", "memory-optimized"),
        ("p3.2xlarge", "p3", "accelerated-computing"),
        ("g4dn.xlarge", "g4dn", "accelerated-computing"),
        ("f1.2xlarge", "f1", "accelerated-computing"),
        ("inf2.xlarge", "inf2", "accelerated-computing"),
        ("trn1.32xlarge", "trn1", "accelerated-computing"),
        ("dl1.24xlarge", "dl1", "accelerated-computing"),
        ("vt1.3xlarge", "vt1", "accelerated-computing"),
        ("i3.large", "i3", "storage-optimized"),
        ("d2.xlarge", "d2", "storage-optimized"),
        ("h1.2xlarge", "h1", "storage-optimized"),
        ("im4gn.large", "im4gn", "storage-optimized"),
        ("is4gen.large", "is4gen", "storage-optimized"),
        ("hpc6a.48xlarge", "hpc6a", "hpc-optimized"),
        ("qq9.large", "qq9", ""),
    ],
)
def test_family_and_category(instance_type, family, category):
    assert family_of(instance_type) == family
    assert category_of(family) == category
