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
# batch.update_compute_environment (UpdateComputeEnvironment) and batch.cancel_jobs (CancelJob for jobs not started,
# TerminateJob for started ones), fleetui/batch/operations/. The reads they make first and while they wait
# (DescribeComputeEnvironments, DescribeJobs, and EC2's DescribeInstances for the environment's instances) are in
# READ, Batch's and EC2's.
OPERATE = [
    {
        "Sid": "FleetuiBatchActions",
        "Effect": "Allow",
        "Action": ["batch:CancelJob", "batch:TerminateJob", "batch:UpdateComputeEnvironment"],
        "Resource": "*",
    },
]
