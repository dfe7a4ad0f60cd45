"""EKS's IAM statements (docs/iam-*.json are derived from these). The inventory lists and describes clusters and
what runs in them; the nodegroups' instances and ASGs are read by the EC2 sync (EC2's statements)."""

READ = [
    {
        "Sid": "FleetuiReadEks",
        "Effect": "Allow",
        "Action": [
            "eks:DescribeAddon",
            "eks:DescribeCluster",
            "eks:DescribeFargateProfile",
            "eks:DescribeNodegroup",
            "eks:ListAddons",
            "eks:ListClusters",
            "eks:ListFargateProfiles",
            "eks:ListNodegroups",
        ],
        "Resource": "*",
    },
]
# The eks-act slice fills this with what eks.scale_nodegroup calls.
OPERATE: list[dict] = []
