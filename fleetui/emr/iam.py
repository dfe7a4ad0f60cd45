"""EMR's IAM statements (docs/iam-*.json are derived from these). The inventory lists and describes clusters, reads
their auto-termination policy (the idle timeout), and lists each cluster's groups or fleets, steps and instances;
the instances themselves are read by the EC2 sync (EC2's statements)."""

READ = [
    {
        "Sid": "FleetuiReadEmr",
        "Effect": "Allow",
        "Action": [
            "elasticmapreduce:DescribeCluster",
            "elasticmapreduce:GetAutoTerminationPolicy",
            "elasticmapreduce:ListClusters",
            "elasticmapreduce:ListInstanceFleets",
            "elasticmapreduce:ListInstanceGroups",
            "elasticmapreduce:ListInstances",
            "elasticmapreduce:ListSteps",
        ],
        "Resource": "*",
    },
]
# emr.resize_group and emr.terminate_cluster (fleetui/emr/operations/): they read the cluster, its groups and its
# instances first and while they wait (READ), then resize one group or terminate one cluster. EMR launches and
# terminates the EC2 instances itself, with its service role: no ec2 write here.
OPERATE: list[dict[str, object]] = [
    {
        "Sid": "FleetuiEmrActions",
        "Effect": "Allow",
        "Action": [
            "elasticmapreduce:ModifyInstanceGroups",
            "elasticmapreduce:TerminateJobFlows",
        ],
        "Resource": "*",
    },
]
