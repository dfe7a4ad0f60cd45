from fleetui.core.menu import MenuEntry, OverviewPanel, Owners

MENU = [MenuEntry("EMR", "emr:cluster_list", current=("emr:",), order=34, section="Data and serverless")]
# The home page's EMR panel: the spot share of cluster instances, idle clusters, clusters without auto-termination.
OVERVIEW = [OverviewPanel("emr/_overview.html", "fleetui.emr.views.overview_context", order=34)]
# An EC2 instance page says "EMR cluster etl-nightly, TASK group Task - spot (spot)".
OWNERS = [
    Owners(
        "instances",
        "fleetui.emr.selectors.instance_owners",
        owned="fleetui.emr.selectors.instances_owned",
        label="EMR",
    )
]
