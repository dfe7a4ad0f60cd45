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
# eks.scale_nodegroup (fleetui/eks/operations/scale.py): it reads the nodegroup (READ), changes its scalingConfig,
# follows the update (DescribeUpdate; ListUpdates to find one already in progress) and counts the nodes of its Auto
# Scaling group while it waits. EKS changes the ASG itself with its service-linked role: no autoscaling write here.
OPERATE = [
    {
        "Sid": "FleetuiEksActions",
        "Effect": "Allow",
        "Action": [
            "eks:DescribeUpdate",
            "eks:ListUpdates",
            "eks:UpdateNodegroupConfig",
        ],
        "Resource": "*",
    },
    {
        "Sid": "FleetuiEksScaleProgress",
        "Effect": "Allow",
        "Action": ["autoscaling:DescribeAutoScalingGroups"],
        "Resource": "*",
    },
]
