"""The sync engine's own IAM statements: who am I, which regions, and reaching other accounts."""

from fleetui.aws.regions import DISCOVERY_IAM_ACTION

READ = [
    {"Sid": "FleetuiWhoAmI", "Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"},
    {"Sid": "FleetuiDiscoverRegions", "Effect": "Allow", "Action": DISCOVERY_IAM_ACTION, "Resource": "*"},
    {
        "Sid": "FleetuiReachOtherAccounts",
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Resource": "arn:aws:iam::*:role/fleetui-readonly",
    },
]
