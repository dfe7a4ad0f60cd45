from fleetui.core.menu import MenuEntry, OverviewPanel

MENU = [MenuEntry("Lambda", "lambda_:function_list", current=("lambda_:",), order=38, section="Data and serverless")]
# The home page's Lambda panel: functions near the timeout or memory limit, on a deprecated runtime, unreferenced.
OVERVIEW = [OverviewPanel("lambda_/_overview.html", "fleetui.lambda_.views.overview_context", order=38)]
