"""Elastic Beanstalk's IAM statements (docs/iam-*.json are derived from these). Route 53 is read live by the swap's
checklist, to warn about aliases that point at an environment's load balancer instead of its CNAME."""

READ = [
    {
        "Sid": "FleetuiReadBeanstalk",
        "Effect": "Allow",
        "Action": [
            "elasticbeanstalk:DescribeApplicationVersions",
            "elasticbeanstalk:DescribeApplications",
            "elasticbeanstalk:DescribeConfigurationSettings",
            "elasticbeanstalk:DescribeEnvironmentResources",
            "elasticbeanstalk:DescribeEnvironments",
            "elasticbeanstalk:DescribeEvents",
        ],
        "Resource": "*",
    },
    {
        "Sid": "FleetuiReadRoute53ForSwapChecks",
        "Effect": "Allow",
        "Action": ["route53:ListHostedZones", "route53:ListResourceRecordSets"],
        "Resource": "*",
    },
]
OPERATE = [
    {
        "Sid": "FleetuiBeanstalkActions",
        "Effect": "Allow",
        "Action": [
            "elasticbeanstalk:CreateEnvironment",
            "elasticbeanstalk:SwapEnvironmentCNAMEs",
            "elasticbeanstalk:TerminateEnvironment",
            "elasticbeanstalk:UpdateEnvironment",
        ],
        "Resource": "*",
    },
]
