from fleetui.core.menu import MenuEntry, OverviewPanel, Owners

MENU = [MenuEntry("EKS", "eks:cluster_list", current=("eks:",), order=32, section="Containers")]
OVERVIEW = [OverviewPanel("eks/_overview.html", "fleetui.eks.views.overview_context", order=32)]
# An EC2 instance page says which cluster and nodegroup the instance is a node of.
OWNERS = [
    Owners(
        "instances",
        "fleetui.eks.selectors.instance_owners",
        owned="fleetui.eks.selectors.instances_owned",
        label="EKS",
    )
]
