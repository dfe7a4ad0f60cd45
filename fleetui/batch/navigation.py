from fleetui.core.menu import MenuEntry, OverviewPanel, Owners

MENU = [
    MenuEntry("Batch", "batch:compute_environment_list", current=("batch:",), order=36, section="Data and serverless")
]
# The home page's Batch panel: jobs by status across the queues, environments INVALID or DISABLED.
OVERVIEW = [OverviewPanel("batch/_overview.html", "fleetui.batch.views.overview_context", order=36)]
# An EC2 instance page says "AWS Batch compute environment X".
OWNERS = [
    Owners(
        "instances",
        "fleetui.batch.selectors.instance_owners",
        owned="fleetui.batch.selectors.instances_owned",
        label="Batch",
    )
]
