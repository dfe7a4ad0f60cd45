"""Lambda's IAM statements (docs/iam-*.json are derived from these). The inventory lists functions and reads each
one's tags and reserved concurrency (GetFunction), versions and aliases, and the event source mappings; the actions
read a function's configuration (LastUpdateStatus) and the account's concurrency limits first (READ)."""

READ = [
    {
        "Sid": "FleetuiReadLambda",
        "Effect": "Allow",
        "Action": [
            "lambda:GetAccountSettings",
            "lambda:GetEventSourceMapping",
            "lambda:GetFunction",
            "lambda:GetFunctionConfiguration",
            "lambda:ListAliases",
            "lambda:ListEventSourceMappings",
            "lambda:ListFunctions",
            "lambda:ListVersionsByFunction",
        ],
        "Resource": "*",
    },
]
# lambda.update_config and lambda.set_concurrency (fleetui/lambda_/operations/).
OPERATE: list[dict[str, object]] = [
    {
        "Sid": "FleetuiLambdaActions",
        "Effect": "Allow",
        "Action": [
            "lambda:DeleteFunctionConcurrency",
            "lambda:PutFunctionConcurrency",
            "lambda:UpdateFunctionConfiguration",
        ],
        "Resource": "*",
    },
]
