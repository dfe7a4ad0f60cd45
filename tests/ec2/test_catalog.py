"""Family and category from the type name: longest prefix first, never a list of sizes."""

import pytest

from fleetui.ec2.catalog import category_of, family_of


@pytest.mark.parametrize(
    ("instance_type", "family", "category"),
    [
        ("m5.large", "m5", "general_purpose"),
        ("t3.micro", "t3", "general_purpose"),
        ("a1.medium", "a1", "general_purpose"),
        ("mac2-m2pro.metal", "mac2-m2pro", "general_purpose"),
        ("c5.9xlarge", "c5", "compute_optimized"),
        ("c7i-flex.large", "c7i-flex", "compute_optimized"),
        ("r5b.large", "r5b", "memory_optimized"),
        ("x1e.xlarge", "x1e", "memory_optimized"),
        ("z1d.large", "z1d", "memory_optimized"),
        ("u-6tb1.metal", "u-6tb1", "memory_optimized"),
        ("p3.2xlarge", "p3", "accelerated_computing"),
        ("g4dn.xlarge", "g4dn", "accelerated_computing"),
        ("f1.2xlarge", "f1", "accelerated_computing"),
        ("inf2.xlarge", "inf2", "accelerated_computing"),
        ("trn1.32xlarge", "trn1", "accelerated_computing"),
        ("dl1.24xlarge", "dl1", "accelerated_computing"),
        ("vt1.3xlarge", "vt1", "accelerated_computing"),
        ("i3.large", "i3", "storage_optimized"),
        ("d2.xlarge", "d2", "storage_optimized"),
        ("h1.2xlarge", "h1", "storage_optimized"),
        ("im4gn.large", "im4gn", "storage_optimized"),
        ("is4gen.large", "is4gen", "storage_optimized"),
        ("hpc6a.48xlarge", "hpc6a", "hpc_optimized"),
        ("qq9.large", "qq9", ""),
    ],
)
def test_family_and_category(instance_type, family, category):
    assert family_of(instance_type) == family
    assert category_of(family) == category
