"""Security-group findings by severity on the pages: the list's badges, filter and order, a group's own page,
the instance page and the overview tile (the grading itself is tested in test_transforms.py)."""

import re

import pytest
from django.urls import reverse

from fleetui.ec2.transforms import security_group_fields
from tests.factories import AccountFactory, InstanceFactory, SecurityGroupFactory


def _world(port, protocol="tcp"):
    return {"IpProtocol": protocol, "FromPort": port, "ToPort": port, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}


@pytest.fixture
def groups(db):
    """One group per level, graded by the real transform; each also lets every egress go anywhere."""
    account = AccountFactory(account_id="111111111111", name="prod")
    anywhere = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    made = {}
    for name, rules in [
        ("db-open", [_world(5432), _world(443)]),
        ("app-8080", [_world(8080)]),
        ("web-public", [_world(80), _world(443)]),
        ("private", []),
    ]:
        fields = security_group_fields(
            {"GroupId": f"sg-0{len(made)}{'a' * 15}", "GroupName": name, "IpPermissions": rules,
             "IpPermissionsEgress": anywhere}
        )  # fmt: skip
        made[name] = SecurityGroupFactory(account=account, region="us-east-1", **fields)
    return made


def test_the_list_badges_each_level_and_lists_the_worst_first(viewer_client, groups):
    response = viewer_client.get(reverse("ec2:security_group_list"))
    rows = list(response.context["table"].paginated_rows)
    assert [row.record.group_name for row in rows] == ["db-open", "app-8080", "web-public", "private"]
    html = response.content.decode()
    for level in ("critical", "warning", "info"):
        assert f'<span class="badge sev-{level}">{level}</span>' in html
    assert [re.search(r'<tr class="(finding-\w+)?', row).group(1) for row in re.findall(r"<tr [^>]*>", html)] == [
        "finding-critical", "finding-warning", "finding-info", None
    ]  # fmt: skip
    # 5432 and 443, 8080, 80 and 443: only the ingress rules open to the world are marked.
    assert re.findall(r'<li class="sev-(\w+)"', html) == ["info", "critical", "warning", "info", "info"]
    # The group's name comes first and links to its page.
    detail = reverse("ec2:security_group_detail", args=["111111111111", "us-east-1", groups["db-open"].group_id])
    assert f'<a href="{detail}">db-open</a>' in html


def test_the_severity_filter(viewer_client, groups):
    def names(query):
        response = viewer_client.get(f"{reverse('ec2:security_group_list')}?{query}")
        return response.status_code, [row.record.group_name for row in response.context["table"].paginated_rows]

    assert names("severity=critical") == (200, ["db-open"])
    assert names("severity=warning,info") == (200, ["app-8080", "web-public"])
    status, _ = names("severity=bad")
    assert status == 400
    form = viewer_client.get(f"{reverse('ec2:security_group_list')}?severity=bad").content.decode()
    assert "Not a valid choice: bad. Valid: critical, warning, info." in form
    assert '<span id="id_severity-label">Finding</span><details class="choice-menu"' in form  # labelled, a menu
    assert "<span>VPC</span>" in form


def test_a_groups_page_grades_ingress_and_not_egress(viewer_client, groups):
    group = groups["db-open"]
    InstanceFactory(account=group.account, region="us-east-1", security_groups=[{"id": group.group_id, "name": ""}])
    InstanceFactory(account=group.account, region="us-east-1")
    response = viewer_client.get(
        reverse("ec2:security_group_detail", args=["111111111111", "us-east-1", group.group_id])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="group-severity">critical<' in html
    assert html.count('<tr class="sev-critical">') == 1 and html.count('<tr class="sev-info">') == 1
    assert "<tr><td>egress</td><td>all</td><td>all</td><td>0.0.0.0/0</td></tr>" in html  # anywhere, no badge
    assert ">1 instance<" in html
    assert (
        viewer_client.get(reverse("ec2:security_group_detail", args=["1", "us-east-1", "sg-nope"])).status_code == 404
    )


def test_the_instance_page_badges_its_groups_and_the_tile_counts_critical_ones(viewer_client, groups):
    ids = [{"id": groups[name].group_id, "name": name} for name in ("db-open", "web-public")]
    instance = InstanceFactory(account=groups["db-open"].account, region="us-east-1", security_groups=ids)
    html = viewer_client.get(
        reverse("ec2:instance_detail", args=["111111111111", "us-east-1", instance.instance_id])
    ).content.decode()
    assert '<span class="badge sev-critical">critical</span></h3>' in html
    assert '<span class="badge sev-info">info</span></h3>' in html
    overview = viewer_client.get(reverse("inventory:overview"))
    findings = next(panel["overview"] for panel in overview.context["panels"] if "overview" in panel).findings
    assert findings["critical_sgs"] == 1  # the warning and info groups are not counted
    assert f'href="{reverse("ec2:security_group_list")}?severity=critical"' in overview.content.decode()
