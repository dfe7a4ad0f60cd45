from fleetui.core.menu import MenuEntry

MENU = [MenuEntry("Beanstalk", "beanstalk:application_list", current=("beanstalk:",), order=20)]
