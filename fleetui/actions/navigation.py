from fleetui.core.menu import TOOLS, MenuEntry

MENU = [MenuEntry("Activity", "actions:activity", current=("actions:",), group=TOOLS, order=10, section="Audit")]
