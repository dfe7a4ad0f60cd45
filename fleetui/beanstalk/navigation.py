from fleetui.core.menu import MenuEntry, Owners

MENU = [MenuEntry("Beanstalk", "beanstalk:application_list", current=("beanstalk:",), order=20, section="Environments")]
# An EC2 instance page says which environment runs the instance.
OWNERS = [
    Owners(
        "instances",
        "fleetui.beanstalk.selectors.instance_owners",
        owned="fleetui.beanstalk.selectors.instances_owned",
        label="Beanstalk",
    )
]
