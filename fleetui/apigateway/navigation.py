from fleetui.core.menu import MenuEntry

MENU = [
    MenuEntry(
        "API Gateway", "apigateway:rest_api_list", current=("apigateway:",), order=38, section="Data and serverless"
    )
]
