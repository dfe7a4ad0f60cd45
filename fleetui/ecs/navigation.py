from fleetui.core.menu import MenuEntry, OverviewPanel, Owners

MENU = [MenuEntry("ECS", "ecs:service_list", current=("ecs:",), order=30, section="Containers")]
# The home page's containers panel: Fargate against EC2 share of running tasks, services with findings.
OVERVIEW = [OverviewPanel("ecs/_overview.html", "fleetui.ecs.views.overview_context", order=30)]
# An EC2 instance page says "ECS container instance of cluster X".
OWNERS = [
    Owners(
        "instances",
        "fleetui.ecs.selectors.instance_owners",
        owned="fleetui.ecs.selectors.instances_owned",
        label="ECS",
    )
]
