from fleetui.core.menu import MenuEntry, Owners

MENU = [
    MenuEntry(
        "API Gateway", "apigateway:rest_api_list", current=("apigateway:",), order=40, section="Data and serverless"
    )
]
# A Lambda function's page says "API Gateway route storefront-api GET /orders", and the Lambda app's "unreferenced"
# finding leaves out functions an API calls. Inert until the Lambda app (sync type "lambda_functions") is installed.
OWNERS = [
    Owners(
        "lambda_functions",
        "fleetui.apigateway.selectors.function_callers",
        owned="fleetui.apigateway.selectors.functions_called",
        label="API Gateway",
    )
]
