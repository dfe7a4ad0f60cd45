"""API Gateway's IAM statements (docs/iam-*.json are derived from these). The inventory lists REST APIs with their
stages, deployments and resources (methods and integrations embedded), and HTTP and WebSocket APIs with their
stages, routes and integrations. Both APIs sign as `apigateway`, and IAM authorises them by HTTP verb on a resource
path, not by operation name: reading them is `apigateway:GET` on the REST APIs' and the v2 APIs' paths.
"""

READ = [
    {
        "Sid": "FleetuiReadApiGateway",
        "Effect": "Allow",
        "Action": ["apigateway:GET"],
        "Resource": [
            "arn:aws:apigateway:*::/restapis",
            "arn:aws:apigateway:*::/restapis/*",
            "arn:aws:apigateway:*::/apis",
            "arn:aws:apigateway:*::/apis/*",
        ],
    },
]
OPERATE: list[dict[str, object]] = []
