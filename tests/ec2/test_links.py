"""EC2's links for other services: instances by id, and by an address another service names (an API Gateway HTTP
integration's host): public or private IP, a live instance before a gone one that held it, non-addresses ignored."""

import pytest
from django.utils import timezone

from fleetui.ec2.links import instances_by_address
from tests.factories import AccountFactory, InstanceFactory


@pytest.mark.django_db
def test_instances_by_address_matches_public_and_private_ips_and_prefers_the_live_one():
    account = AccountFactory()
    web = InstanceFactory(account=account, region="us-east-1", public_ip="54.1.2.3", private_ip="10.0.0.5")
    InstanceFactory(account=account, region="us-east-1", private_ip="10.0.0.9", gone_at=timezone.now())
    successor = InstanceFactory(account=account, region="us-east-1", private_ip="10.0.0.9")
    InstanceFactory(account=account, region="eu-west-1", private_ip="10.0.0.7")  # another region
    found = instances_by_address(
        account=account,
        region="us-east-1",
        addresses=["54.1.2.3", "10.0.0.5", "10.0.0.9", "10.0.0.7", "api.example.com"],
    )
    assert {address: row.instance_id for address, row in found.items()} == {
        "54.1.2.3": web.instance_id, "10.0.0.5": web.instance_id, "10.0.0.9": successor.instance_id,
    }  # fmt: skip
    assert instances_by_address(account=account, region="us-east-1", addresses=["not-an-ip"]) == {}
