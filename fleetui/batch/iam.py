"""AWS Batch's IAM statements (docs/iam-*.json are derived from these). The inventory describes environments,
queues and job definitions and lists and describes jobs; the environments' EC2 instances are read by the EC2 sync
(EC2's statements). The actions' statements (OPERATE) come with fleetui/batch/operations/."""

READ = [
    {
        "Sid": "FleetuiReadBatch",
        "Effect": "Allow",
        "Action": [
            "batch:DescribeComputeEnvironments",
            "batch:DescribeJobDefinitions",
            "batch:DescribeJobQueues",
            "batch:DescribeJobs",
            "batch:ListJobs",
        ],
        "Resource": "*",
    },
]
OPERATE: list[dict[str, object]] = []
