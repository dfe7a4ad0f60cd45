"""ECS's IAM statements (docs/iam-*.json are derived from these). READ is what the inventory sync calls;
OPERATE is filled by the ECS actions (fleetui/ecs/operations/)."""

READ = [
    {
        "Sid": "FleetuiReadEcs",
        "Effect": "Allow",
        "Action": [
            "ecs:DescribeClusters",
            "ecs:DescribeContainerInstances",
            "ecs:DescribeServices",
            "ecs:DescribeTaskDefinition",
            "ecs:DescribeTasks",
            "ecs:ListClusters",
            "ecs:ListContainerInstances",
            "ecs:ListServices",
            "ecs:ListTaskDefinitions",
            "ecs:ListTasks",
        ],
        "Resource": "*",
    },
]
OPERATE = [
    {
        # ecs.scale_service and ecs.force_deployment (UpdateService), ecs.stop_task (StopTask); the reads they make
        # first (DescribeServices, DescribeTasks, ListTasks) are in READ.
        "Sid": "FleetuiEcsActions",
        "Effect": "Allow",
        "Action": ["ecs:StopTask", "ecs:UpdateService"],
        "Resource": "*",
    },
]
