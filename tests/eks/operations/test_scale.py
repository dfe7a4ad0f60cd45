"""eks.scale_nodegroup against the sandbox, with eager tasks: the scale itself, its refusals on the page and in the
API, the typed confirmation of a scale to zero, a vanished nodegroup, and the reads that keep a repeat harmless."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from fleetui.actions import services
from fleetui.actions.models import Action
from fleetui.ec2.models import Instance
from fleetui.eks.models import Nodegroup

from .nodegroup import REGION, Built, nodegroup_build, sandbox_delay

pytestmark = pytest.mark.django_db(transaction=True)
KIND = "eks.scale_nodegroup"
API = "/api/v1/actions/"
PAGE = f"/actions/new/{KIND}/"


@pytest.fixture
def built(aws, account) -> Built:
    return nodegroup_build(aws, account)


def api_scale(client: Client, built: Built, sizes: tuple[Any, Any, Any], **extra: Any) -> Any:
    low, desired, high = sizes
    body = {
        "kind": KIND, "targets": [built.arn], "reason": "traffic",
        "params": {"min_size": low, "desired_size": desired, "max_size": high}, **extra,
    }  # fmt: skip
    return client.post(API, body, content_type="application/json")


def page_scale(client: Client, account, built: Built, sizes: tuple[Any, Any, Any], **extra: Any) -> Any:
    low, desired, high = sizes
    data = {
        "account": account.account_id, "region": REGION, "targets": built.arn, "reason": "traffic",
        "p-min_size": low, "p-desired_size": desired, "p-max_size": high, "submit": "1", **extra,
    }  # fmt: skip
    return client.post(PAGE, data)


def finished(answer: Any) -> Action:
    assert answer.status_code == 201, answer.content
    return Action.objects.get(pk=answer.json()["id"])


def log_of(action: Action) -> list[str]:
    return list(action.log.order_by("pk").values_list("message", flat=True))


def test_a_scale_out_through_the_api_grows_the_asg_and_the_inventory_follows(operator_client, built):
    before = built.instance_ids()
    action = finished(api_scale(operator_client, built, (2, 4, 6)))

    assert action.status == "succeeded", (action.error, log_of(action))
    assert built.scaling() == {"minSize": 2, "desiredSize": 4, "maxSize": 6}
    [update] = built.updates()
    assert (update["status"], update["id"]) == ("Successful", action.result["update_id"])
    after = built.instance_ids()
    assert len(before) == 2 and len(after) == 4 and set(before) < set(after)
    assert action.result["before"] == {"minSize": 1, "desiredSize": 2, "maxSize": 4}
    assert action.result["instances"] == 4 and action.result["status"] == "ACTIVE"
    row = Nodegroup.objects.get(nodegroup_arn=built.arn)  # re-synced before the action ended
    assert (row.min_size, row.desired_size, row.max_size, row.status) == (2, 4, 6, "ACTIVE")
    synced = Instance.objects.filter(instance_id__in=after, gone_at__isnull=True)
    assert synced.count() == 4  # the ASG's instances too
    log = log_of(action)
    assert any(m.startswith("Scaling web: min 1 / desired 2 / max 4 -> min 2 / desired 4 / max 6") for m in log), log
    assert any("4 of 4 instance(s) in service" in m for m in log), log


def test_a_scale_in_terminates_nodes_and_re_syncs_them(operator_client, built):
    before = built.instance_ids()
    action = finished(api_scale(operator_client, built, (1, 1, 4)))

    assert action.status == "succeeded", action.error
    [left] = built.instance_ids()
    [removed] = set(before) - {left}
    assert Instance.objects.get(instance_id=removed).state in ("shutting-down", "terminated")
    assert Nodegroup.objects.get(nodegroup_arn=built.arn).desired_size == 1


@pytest.mark.parametrize(
    ("sizes", "field", "reason"),
    [
        ((3, 2, 4), "desired_size", "The desired size (2) cannot be below the minimum (3)."),
        ((1, 5, 4), "desired_size", "The desired size (5) cannot be above the maximum (4)."),
        ((-1, 2, 4), "min_size", "Ensure this value is greater than or equal to 0."),
        ((0, 0, 0), "max_size", "Ensure this value is greater than or equal to 1."),
        ((1, 2, 451), "max_size", "451 is above the 450 nodes a managed nodegroup may have"),
        ((1, "two", 4), "desired_size", "Enter a whole number."),
    ],
)
def test_bad_sizes_are_refused_in_the_api_and_on_the_page_with_the_reason(
    operator_client, account, built, sizes, field, reason
):
    answer = api_scale(operator_client, built, sizes)
    assert answer.status_code == 400
    assert any(reason in message for message in answer.json()[field]), answer.json()
    page = page_scale(operator_client, account, built, sizes)
    assert page.status_code == 400
    assert escape(reason) in page.content.decode()
    assert not Action.objects.exists()
    assert built.updates() == []


def test_the_node_limit_follows_the_setting_for_a_raised_quota(operator_client, built, settings):
    settings.FLEETUI_EKS_MAX_NODES = 1000
    action = finished(api_scale(operator_client, built, (1, 2, 900)))
    assert action.status == "succeeded", action.error
    assert built.scaling()["maxSize"] == 900


def test_a_viewer_may_not_scale(viewer_client, account, built):
    assert api_scale(viewer_client, built, (1, 3, 4)).status_code == 403
    assert page_scale(viewer_client, account, built, (1, 3, 4)).status_code == 403
    assert not Action.objects.exists()


def test_a_scale_to_zero_of_a_nodegroup_with_nodes_needs_the_typed_phrase(operator_client, account, built):
    phrase = "SCALE web TO 0"
    refused = api_scale(operator_client, built, (0, 0, 4))
    assert refused.status_code == 400
    [message] = refused.json()["confirm"]
    assert phrase in message and "web runs 2 node(s)" in message and "fleetui cannot see pods" in message
    assert api_scale(operator_client, built, (0, 0, 4), confirm="SCALE web TO 1").status_code == 400
    page = page_scale(operator_client, account, built, (0, 0, 4), confirm="yes")
    assert page.status_code == 400 and f"Type <strong>{phrase}</strong> to confirm" in page.content.decode()
    assert not Action.objects.exists() and built.updates() == []

    action = finished(api_scale(operator_client, built, (0, 0, 4), confirm=phrase))
    assert action.status == "succeeded", action.error
    assert built.instance_ids() == [] and built.scaling()["desiredSize"] == 0
    assert Nodegroup.objects.get(nodegroup_arn=built.arn).desired_size == 0

    # Already at zero nodes: nothing runs there, so nothing to confirm (a scale to zero that changes max only).
    again = finished(api_scale(operator_client, built, (0, 0, 3)))
    assert again.status == "succeeded", again.error


def test_other_sizes_need_no_confirmation(operator_client, account, built):
    answer = page_scale(operator_client, account, built, (0, 1, 4))
    assert answer.status_code == 302
    assert Action.objects.get().status == "succeeded"


@pytest.mark.parametrize(
    ("deleted", "aws_says"),
    [("nodegroup", "No node group found for name: web."), ("cluster", "No cluster found for name: shop-prod.")],
)
def test_a_nodegroup_or_cluster_deleted_behind_fleetuis_back_fails_with_awss_message(
    operator_client, built, deleted, aws_says
):
    built.eks.delete_nodegroup(clusterName=built.cluster, nodegroupName=built.name)
    if deleted == "cluster":
        built.eks.delete_cluster(name=built.cluster)
    action = finished(api_scale(operator_client, built, (1, 3, 4)))

    assert action.status == "failed"
    assert action.error.startswith("web in cluster shop-prod no longer exists in AWS:")
    assert aws_says in action.error and "ResourceNotFoundException" in action.error
    assert "Nothing was changed by this action." in action.error
    assert Nodegroup.objects.get(nodegroup_arn=built.arn).gone_at is not None  # the re-sync saw it gone


def test_an_update_slower_than_the_timeout_fails_and_says_it_goes_on(aws, operator_client, built, settings):
    settings.FLEETUI_EKS_SCALE_TIMEOUT = 1
    sandbox_delay(aws, 6)
    action = finished(api_scale(operator_client, built, (1, 3, 4)))

    assert action.status == "failed"
    assert action.error.startswith("Timed out after 1 s waiting for the update of web.")
    assert f"EKS still reports update {action.result['update_id']} InProgress" in action.error
    assert [u["status"] for u in built.updates()] == ["InProgress"]


def test_a_scaling_already_in_place_calls_nothing(operator_client, built):
    action = finished(api_scale(operator_client, built, (1, 2, 4)))
    assert action.status == "succeeded" and action.result["outcome"] == "already scaled"
    assert built.updates() == []
    assert "web is already at min 1 / desired 2 / max 4: nothing to change." in log_of(action)


def test_an_update_of_this_scaling_already_in_progress_is_adopted_not_sent_again(aws, operator_client, built):
    """What a delivery finds when the one before it died between UpdateNodegroupConfig and recording the id."""
    sandbox_delay(aws, 4)  # still in progress when the action reads it, on a loaded machine too (1.5 s was not)
    sent = built.eks.update_nodegroup_config(
        clusterName=built.cluster, nodegroupName=built.name,
        scalingConfig={"minSize": 1, "desiredSize": 3, "maxSize": 4},
    )["update"]  # fmt: skip
    assert built.describe()["status"] == "UPDATING"
    action = finished(api_scale(operator_client, built, (1, 3, 4)))

    assert action.status == "succeeded", action.error
    assert [u["id"] for u in built.updates()] == [sent["id"]] == [action.result["update_id"]]
    assert f"Update {sent['id']} was already sent for this scaling: waiting on it, not sending it again." in log_of(
        action
    )
    assert len(built.instance_ids()) == 3


def test_another_update_in_progress_is_waited_out_before_the_call(aws, operator_client, built):
    sandbox_delay(aws, 1.0)
    other = built.eks.update_nodegroup_config(
        clusterName=built.cluster, nodegroupName=built.name,
        scalingConfig={"minSize": 1, "desiredSize": 1, "maxSize": 4},
    )["update"]  # fmt: skip
    action = finished(api_scale(operator_client, built, (2, 3, 5)))

    assert action.status == "succeeded", action.error
    updates = {u["id"]: u["status"] for u in built.updates()}
    assert updates == {other["id"]: "Successful", action.result["update_id"]: "Successful"}
    assert built.scaling() == {"minSize": 2, "desiredSize": 3, "maxSize": 5}
    assert any(m.startswith(f"Waiting for another update of web ({other['id']}) to end first") for m in log_of(action))


def test_two_scales_of_one_nodegroup_exclude_each_other(operator_client, built, monkeypatch):
    monkeypatch.setattr(services, "action_enqueue", lambda action: None)
    first = api_scale(operator_client, built, (1, 3, 4))
    assert first.status_code == 201
    second = api_scale(operator_client, built, (1, 1, 4))
    assert second.status_code == 409 and "busy: action #" in second.json()["detail"]


def test_the_nodegroup_pages_scale_link_opens_the_form_at_the_sizes_now(operator_client, viewer_client, account, built):
    detail = f"/eks/{account.account_id}/{REGION}/shop-prod/nodegroups/web/"
    assert "Scale nodegroup" not in viewer_client.get(detail).content.decode()
    [url] = re.findall(
        r'href="(/actions/new/eks\.scale_nodegroup/[^"]+)"', operator_client.get(detail).content.decode()
    )
    page = operator_client.get(unescape(url)).content.decode()
    for name, value in (("min_size", 1), ("desired_size", 2), ("max_size", 4)):
        assert f'name="p-{name}" value="{value}"' in page
    assert "<strong>web</strong> in cluster <strong>shop-prod</strong>" in page
    assert "min 1 / desired 2 / max 4" in page and "Desired nodes" in page
