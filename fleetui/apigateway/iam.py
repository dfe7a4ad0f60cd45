"""API Gateway's IAM statements (docs/iam-*.json are derived from these). The inventory lists REST APIs with their
stages, deployments and resources (methods and integrations embedded), and HTTP and WebSocket APIs with their
stages, routes and integrations. Both services sign as `apigateway`.

Note for real AWS: API Gateway's management API is authorised by HTTP verb on a resource path
(`apigateway:GET` on `arn:aws:apigateway:*::/restapis*` and `arn:aws:apigateway:*::/apis*`), not by operation
name; the statement below names the operations, as fleetui's policy test derives them from the calls.
"""

READ = [
    {
        "Sid": "FleetuiReadApiGateway",
        "Effect": "Allow",
        "Action": [
            "apigateway:GetApis",
            "apigateway:GetDeployments",
            "apigateway:GetIntegrations",
            "apigateway:GetResources",
            "apigateway:GetRestApis",
            "apigateway:GetRoutes",
            "apigateway:GetStages",
        ],
        "Resource": "*",
    },
]
OPERATE: list[dict[str, object]] = []
