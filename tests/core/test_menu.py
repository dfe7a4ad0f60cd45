"""The top bar: entries of one section share a dropdown placed where its first entry is; links stay links."""

import re

from fleetui.core import menu
from fleetui.core.menu import TOOLS, MenuEntry, menu_for
from fleetui.core.roles import Role


def test_sections_gather_their_entries_in_order_and_carry_current(monkeypatch):
    monkeypatch.setattr(menu, "MENU", [
        MenuEntry("Overview", "inventory:overview", current=("inventory:overview",), order=0),
        MenuEntry("Instances", "ec2:instance_list", current=("ec2:instance_list",), order=10, section="Compute"),
        MenuEntry("ECS", "ecs:service_list", current=("ecs:",), order=30, section="Containers"),
        MenuEntry("AMIs", "ec2:image_list", current=("ec2:image_list",), order=14, section="Compute"),
        MenuEntry("EKS", "eks:cluster_list", current=("eks:",), order=32, section="Containers"),
        MenuEntry("Activity", "actions:activity", current=("actions:",), group=TOOLS, order=10),
        MenuEntry("Admin", "admin:index", group=TOOLS, order=90, role=Role.ADMIN),
    ])  # fmt: skip

    items = menu_for(Role.OPERATOR, "eks:cluster_list")
    shape = [(i.get("section") or i["entry"].label, [e["entry"].label for e in i.get("entries", [])]) for i in items]
    assert shape == [
        ("Overview", []), ("Compute", ["Instances", "AMIs"]), ("Containers", ["ECS", "EKS"]), ("Activity", []),
    ]  # fmt: skip
    assert [i["current"] for i in items] == [False, False, True, False]
    assert [e["current"] for e in items[2]["entries"]] == [False, True]
    assert [i["first_of_group"] for i in items] == [False, False, False, True]
    assert menu_for(None, "eks:cluster_list") == []


def test_the_bar_renders_sections_as_dropdowns(viewer_client):
    html = viewer_client.get("/ecs/").content.decode()
    containers = html.split('<details class="navgroup current"><summary>Containers</summary>', 1)[1].split(
        "</details>"
    )[0]
    assert '<a href="/ecs/" aria-current="page">ECS</a>' in containers and '<a href="/eks/" >EKS</a>' in containers
    assert "<summary>Compute</summary>" in html and '<a href="/instances/" >Instances</a>' in html


def test_the_tools_are_two_dropdowns_audit_and_admin(viewer_client, admin_client_):
    """Activity, Changes and Sync runs under Audit; Accounts and the admin pages under Admin, which a viewer sees
    with Accounts alone: the bar fits 1,440 px whatever the role."""

    def dropdown(html: str, section: str) -> list[str]:
        body = html.split(f"<summary>{section}</summary>", 1)[1].split("</details>")[0]
        return re.findall(r"<a [^>]*>([^<]+)</a>", body)

    admin = admin_client_.get("/").content.decode()
    assert dropdown(admin, "Audit") == ["Activity", "Changes", "Sync runs"]
    assert dropdown(admin, "Admin") == ["Accounts", "Django admin", "Sandbox faults"]
    viewer = viewer_client.get("/").content.decode()
    assert dropdown(viewer, "Admin") == ["Accounts"]
