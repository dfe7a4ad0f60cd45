"""Every resource is named and linked the same way wherever fleetui shows it: `label`, `get_absolute_url()`, and
`rows_by_key` to find any type's rows; the action page and Activity use them for targets and results."""

import re

import pytest
from django.urls import reverse

from fleetui.actions.models import Action
from fleetui.core.models import AwsResource
from fleetui.inventory.sync import rows_by_key
from fleetui.inventory.sync.registry import SYNCS
from tests.factories import InstanceFactory


def test_every_resource_type_links_to_a_page():
    """A new service's models say where each row is shown (its page, or its list narrowed to it)."""
    missing = [
        name
        for name, spec in SYNCS.items()
        if not spec.is_global and spec.model.get_absolute_url is AwsResource.get_absolute_url
    ]
    assert missing == []


@pytest.mark.django_db
def test_rows_by_key_finds_a_types_rows_in_one_scope_gone_ones_too():
    web = InstanceFactory(name="web-1")
    gone = InstanceFactory(name="old", account=web.account, gone_at=web.last_seen)
    InstanceFactory(name="elsewhere", account=web.account, region="eu-west-1", instance_id="i-elsewhere")
    found = rows_by_key(
        "instances", account=web.account, region="us-east-1", keys=[web.instance_id, gone.instance_id, "i-elsewhere"]
    )
    assert set(found) == {web.instance_id, gone.instance_id}
    assert found[web.instance_id].label == "web-1"
    assert found[web.instance_id].get_absolute_url() == reverse(
        "ec2:instance_detail", args=["123456789012", "us-east-1", web.instance_id]
    )
    assert rows_by_key("no_such_type", account=web.account, region="us-east-1", keys=["x"]) == {}


@pytest.mark.django_db
def test_an_actions_outcomes_and_activity_name_the_instances(viewer, viewer_client):
    web, db = InstanceFactory(name="web-1"), InstanceFactory(name="db-1")
    unnamed = InstanceFactory(name="", account=web.account)
    action = Action.objects.create(
        kind="ec2.stop", account=web.account, region="us-east-1", requested_by=viewer, status="succeeded",
        targets=[web.instance_id, db.instance_id, unnamed.instance_id, "i-0notsynced"],
        result={"instances": {web.instance_id: "stopped", db.instance_id: "stopped", unnamed.instance_id: "stopped",
                              "i-0notsynced": "already stopped"}},
    )  # fmt: skip
    html = viewer_client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    table = re.search(r'<table class="data compact result-outcomes">.*?</table>', html, re.S).group(0)
    assert "<th>Instances</th><th>Outcome</th>" in table
    link = f'<a href="{web.get_absolute_url()}">web-1 <code>{web.instance_id}</code></a>'
    assert f"<tr><td>{link}</td><td>stopped</td></tr>" in table
    # No Name tag: the id alone, linked; not in the inventory: the id, unlinked.
    assert f'<a href="{unnamed.get_absolute_url()}"><span title="{unnamed.instance_id}">' in table
    assert "<tr><td><code>i-0notsynced</code></td><td>already stopped</td></tr>" in table

    activity = viewer_client.get(reverse("actions:activity")).content.decode()
    assert "Stop instances" in activity and "3 stopped, 1 already stopped" in activity
    assert "web-1, db-1," in activity and "and 1 more" in activity
