from fleetui.core.menu import MenuEntry, OverviewPanel

MENU = [
    MenuEntry(
        "Instances",
        "ec2:instance_list",
        current=("ec2:instance_list", "ec2:instance_detail"),
        order=10,
        section="Compute",
    ),
    MenuEntry(
        "Placement groups",
        "ec2:placement_group_list",
        current=("ec2:placement_group_list",),
        order=11,
        section="Compute",
    ),
    MenuEntry("Key pairs", "ec2:key_pair_list", current=("ec2:key_pair_list",), order=12, section="Compute"),
    MenuEntry(
        "Elastic IPs", "ec2:elastic_ip_list", current=("ec2:elastic_ip_list",), order=13, section="Network and security"
    ),
    MenuEntry("AMIs", "ec2:image_list", current=("ec2:image_list",), order=14, section="Compute"),
    MenuEntry(
        "Security groups",
        "ec2:security_group_list",
        current=("ec2:security_group_list",),
        order=15,
        section="Network and security",
    ),
    MenuEntry(
        "Reserved Instances",
        "ec2:reserved_instance_list",
        current=("ec2:reserved_instance_list", "ec2:reservation_coverage"),
        order=17,
        section="Compute",
    ),
    MenuEntry(
        "Instance types", "ec2:instance_type_list", current=("ec2:instance_type_list",), order=16, section="Compute"
    ),
]
OVERVIEW = [OverviewPanel("ec2/_overview.html", "fleetui.ec2.views.overview_context", order=10)]
