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
# The actions (emr.resize_group, emr.terminate_cluster) add theirs in fleetui/emr/operations/ (the emr-act slice).
OPERATE: list[dict[str, object]] = []
