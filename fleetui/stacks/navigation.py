from fleetui.core.menu import MenuEntry, OverviewPanel, Owners

from .links_table import LINKS

MENU = [MenuEntry("CloudFormation", "stacks:stack_list", current=("stacks:",), order=38, section="Data and serverless")]
# The home page's panel: stacks, SAM stacks, failed or rolled-back stacks (findings) and drifted ones.
OVERVIEW = [OverviewPanel("stacks/_overview.html", "fleetui.stacks.views.overview_context", order=38)]
# Every inventory page of a type CloudFormation creates says "Belongs to: CloudFormation stack orders-sam (...)".
OWNERS = [
    Owners(
        link.sync_type,
        f"fleetui.stacks.owners.find_{link.sync_type}",
        owned=f"fleetui.stacks.owners.owned_{link.sync_type}" if link.owned else "",
        label="CloudFormation",
    )
    for link in LINKS.values()
]
