"""The sync engine's own IAM statements: who am I, which regions, and reaching other accounts."""

READ = [
    {"Sid": "FleetuiWhoAmI", "Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"},
    {"Sid": "FleetuiDiscoverRegions", "Effect": "Allow", "Action": "ec2:DescribeRegions", "Resource": "*"},
    {
        "Sid": "FleetuiReachOtherAccounts",
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Resource": "arn:aws:iam::*:role/fleetui-readonly",
    },
]
