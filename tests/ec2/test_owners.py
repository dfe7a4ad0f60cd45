"""The EC2 overview's instances by owner service, and `?owner=` on the instance list: ECS container hosts and EKS
nodes from the sandbox's demo, synced; a Batch-tagged instance; plain EC2 for the rest."""

import pytest
import requests
from django.urls import reverse

from fleetui.ec2.models import Instance
from fleetui.inventory.sync import sync_scope
from fleetui.sandbox.ecs.seed import ecs_seed
from fleetui.sandbox.eks.seed import eks_seed
from tests.factories import InstanceFactory, rollups_store
from tests.inventory.sync.conftest import account, fresh_clients  # noqa: F401  fixtures

REGIONS = ("us-east-1", "eu-west-1")


@pytest.fixture
def owned(aws, account):  # noqa: F811
    for service in ("ecs", "eks"):
        requests.post(f"{aws}/fleetui-sandbox/{service}", json={"delay": 0}, timeout=10).raise_for_status()
    ecs_seed(endpoint=aws)
    eks_seed(endpoint=aws, regions=list(REGIONS))
    for region in REGIONS:
        for resource_type in ("instances", "ecs_clusters", "ecs_container_instances", "eks_clusters", "eks_nodegroups"):
            assert sync_scope(account=account, region=region, resource_type=resource_type).status == "succeeded"
    InstanceFactory(account=account, region="eu-west-1", tags={"Name": "bastion"})  # no service runs it
    batch = InstanceFactory(account=account, region="us-east-1", tags={"AWSBatchServiceTag": "etl-spot"})
    rollups_store()
    return batch


def listed(client, **query) -> set[str]:
    page = client.get(reverse("ec2:instance_list"), {**query, "per_page": 100})
    assert page.status_code == 200, page.content.decode()[:500]
    return {row.record.instance_id for row in page.context["table"].page.object_list}


def test_instances_by_owner_service_count_and_filter(viewer_client, owned):
    live = Instance.objects.filter(gone_at__isnull=True)
    hosts = listed(viewer_client, owner="ecs")
    nodes = listed(viewer_client, owner="eks")
    plain = listed(viewer_client, owner="none")
    assert len(hosts) == 3 and len(nodes) == 9  # the demo's container instances, and its nodes in both regions
    assert listed(viewer_client, owner="batch") == {owned.instance_id}
    assert plain == set(live.values_list("instance_id", flat=True)) - hosts - nodes - {owned.instance_id}
    assert not hosts & nodes and len(plain) == 1

    home = viewer_client.get(reverse("inventory:overview")).content.decode()
    for key, count in (("none", len(plain)), ("ecs", 3), ("eks", 9), ("batch", 1), ("emr", 0), ("beanstalk", 0)):
        assert f'href="/instances/?owner={key}"' in home
        row = home.split(f'data-owner="{key}"', 1)[1].split("</a>", 1)[0]
        assert f'<span class="n">{count}</span>' in row, (key, row)

    refused = viewer_client.get(reverse("ec2:instance_list"), {"owner": "lambda"})
    assert refused.status_code == 400 and "Run by" in refused.content.decode()
