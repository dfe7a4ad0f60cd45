from fleetui.core.menu import TOOLS, MenuEntry
from fleetui.core.roles import Role

# The sandbox app is installed only by the demo and test settings, so production never shows this entry.
MENU = [
    MenuEntry(
        "Sandbox faults",
        "sandbox:faults",
        current=("sandbox:",),
        group=TOOLS,
        order=95,
        role=Role.ADMIN,
        section="Admin",
    )
]
