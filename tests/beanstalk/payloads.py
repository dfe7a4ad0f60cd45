"""Canned Elastic Beanstalk API items, shaped like the API reference (botocore's elasticbeanstalk model)."""

import datetime as dt

UTC = dt.UTC
ACCOUNT = "123456789012"
REGION = "us-east-1"

APPLICATION = {
    "ApplicationArn": f"arn:aws:elasticbeanstalk:{REGION}:{ACCOUNT}:application/storefront",
    "ApplicationName": "storefront",
    "Description": "The shop",
    "DateCreated": dt.datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
    "DateUpdated": dt.datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
    "Versions": ["v42", "v41"],
    "ConfigurationTemplates": [],
    "ResourceLifecycleConfig": {"VersionLifecycleConfig": {"MaxCountRule": {"Enabled": False}}},
}

VERSION = {
    "ApplicationVersionArn": f"arn:aws:elasticbeanstalk:{REGION}:{ACCOUNT}:applicationversion/storefront/v42",
    "ApplicationName": "storefront",
    "Description": "Checkout rewrite",
    "VersionLabel": "v42",
    "SourceBundle": {"S3Bucket": "elasticbeanstalk-us-east-1-123456789012", "S3Key": "storefront/v42.zip"},
    "DateCreated": dt.datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
    "DateUpdated": dt.datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
    "Status": "PROCESSED",
}

WEB_ENVIRONMENT = {
    "EnvironmentName": "storefront-blue",
    "EnvironmentId": "e-abc123defg",
    "ApplicationName": "storefront",
    "VersionLabel": "v41",
    "SolutionStackName": "64bit Amazon Linux 2023 v4.3.0 running Python 3.11",
    "PlatformArn": f"arn:aws:elasticbeanstalk:{REGION}::platform/Python 3.11 running on 64bit Amazon Linux 2023/4.3.0",
    "Description": "blue",
    "EndpointURL": "awseb-e-abc123defg-stack-AWSEBLoadBal-1A2B3C4D5E6F-123456789.us-east-1.elb.amazonaws.com",
    "CNAME": "storefront.us-east-1.elasticbeanstalk.com",
    "DateCreated": "2026-11-01T09:05:00Z",
    "DateUpdated": "2026-11-20T10:00:00.123000+00:00",
    "Status": "Ready",
    "AbortableOperationInProgress": False,
    "Health": "Green",
    "HealthStatus": "Ok",
    "Tier": {"Name": "WebServer", "Type": "Standard", "Version": "1.0"},
    "EnvironmentLinks": [],
    "EnvironmentArn": f"arn:aws:elasticbeanstalk:{REGION}:{ACCOUNT}:environment/storefront/storefront-blue",
    "Resources": {
        "EnvironmentName": "storefront-blue",
        "AutoScalingGroups": [{"Name": "awseb-e-abc123defg-stack-AWSEBAutoScalingGroup-XYZ"}],
        "Instances": [{"Id": "i-0bbbbbbbbbbbbbbb2"}, {"Id": "i-0aaaaaaaaaaaaaaa1"}],
        "LaunchConfigurations": [],
        "LaunchTemplates": [{"Id": "lt-0123456789abcdef0"}],
        "LoadBalancers": [{"Name": "awseb-e-a-AWSEBLoa-1A2B3C4D5E6F"}],
        "Triggers": [],
        "Queues": [],
    },
}

WORKER_ENVIRONMENT = {
    "EnvironmentName": "storefront-worker",
    "EnvironmentId": "e-worker0001",
    "ApplicationName": "storefront",
    "VersionLabel": "v42",
    "SolutionStackName": "64bit Amazon Linux 2023 v4.3.0 running Python 3.11",
    "DateCreated": "2026-11-01T09:05:00Z",
    "DateUpdated": "2026-11-01T09:15:00Z",
    "Status": "Ready",
    "Health": "Green",
    "Tier": {"Name": "Worker", "Type": "SQS/HTTP", "Version": "1.0"},
    "EnvironmentArn": f"arn:aws:elasticbeanstalk:{REGION}:{ACCOUNT}:environment/storefront/storefront-worker",
    "Resources": {
        "EnvironmentName": "storefront-worker",
        "AutoScalingGroups": [{"Name": "awseb-e-worker0001-stack-AWSEBAutoScalingGroup-W"}],
        "Instances": [{"Id": "i-0ccccccccccccccc3"}],
        "LoadBalancers": [],
        "Triggers": [{"Name": "awseb-e-worker0001-stack-AWSEBCloudwatchAlarmHigh"}],
        "Queues": [
            {"Name": "WorkerQueue", "URL": "https://sqs.us-east-1.amazonaws.com/123456789012/awseb-e-worker0001-q"},
            {"Name": "DeadLetterQueue", "URL": "https://sqs.us-east-1.amazonaws.com/123456789012/awseb-dlq"},
        ],
    },
}

EVENT = {
    "EventDate": dt.datetime(2026, 11, 20, 10, 0, 5, 250000, tzinfo=UTC),
    "Message": "Environment update completed successfully.",
    "ApplicationName": "storefront",
    "VersionLabel": "v41",
    "EnvironmentName": "storefront-blue",
    "RequestId": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
    "Severity": "INFO",
}
