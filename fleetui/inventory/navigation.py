from fleetui.core.menu import TOOLS, MenuEntry, OverviewPanel

MENU = [
    MenuEntry("Overview", "inventory:overview", current=("inventory:overview",), order=0),
    MenuEntry(
        "Accounts",
        "inventory:account_list",
        current=("inventory:account_list", "inventory:account_create", "inventory:account_update"),
        group=TOOLS,
        order=20,
        section="Admin",
    ),
    MenuEntry(
        "Changes",
        "inventory:changes",
        current=("inventory:changes", "inventory:changes_compare"),
        group=TOOLS,
        order=25,
        section="Audit",
    ),
    MenuEntry(
        "Sync runs",
        "inventory:sync_run_list",
        current=("inventory:sync_run_list",),
        group=TOOLS,
        order=30,
        section="Audit",
    ),
]

# First on the home page: what changed in the last day, and how much of it outside fleetui.
OVERVIEW = [OverviewPanel("inventory/_changes_overview.html", "fleetui.inventory.history.selectors.overview", order=0)]
