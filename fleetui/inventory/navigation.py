from fleetui.core.menu import TOOLS, MenuEntry

MENU = [
    MenuEntry("Overview", "inventory:overview", current=("inventory:overview",), order=0),
    MenuEntry(
        "Accounts",
        "inventory:account_list",
        current=("inventory:account_list", "inventory:account_create", "inventory:account_update"),
        group=TOOLS,
        order=20,
    ),
    MenuEntry("Sync runs", "inventory:sync_run_list", current=("inventory:sync_run_list",), group=TOOLS, order=30),
]
