"""CloudFormation's IAM statements (docs/iam-*.json are derived from these). The inventory describes stacks, reads
each template's summary (its transforms: SAM or not), and lists each stack's resources and events."""

READ = [
    {
        "Sid": "FleetuiReadCloudFormation",
        "Effect": "Allow",
        "Action": [
            "cloudformation:DescribeStackEvents",
            "cloudformation:DescribeStacks",
            "cloudformation:GetTemplateSummary",
            "cloudformation:ListStackResources",
        ],
        "Resource": "*",
    },
]
# stacks.detect_drift (fleetui/stacks/operations/): it starts a detection and reads its status. CloudFormation reads
# each resource with the caller's own permissions while it detects, so the read-only policy's reads of those
# services (EC2, Lambda, ...) are needed too; a resource it may not read comes back NOT_CHECKED.
OPERATE: list[dict[str, object]] = [
    {
        "Sid": "FleetuiCloudFormationDrift",
        "Effect": "Allow",
        "Action": [
            "cloudformation:DescribeStackDriftDetectionStatus",
            "cloudformation:DetectStackDrift",
        ],
        "Resource": "*",
    },
]
