"""The read-only REST API: every endpoint, its authentication, its roles and its methods."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from tests import factories as f

# (list URL, factory, field that identifies a row in the answer)
ENDPOINTS = [
    ("/api/v1/ec2/instances/", f.InstanceFactory, "instance_id"),
    ("/api/v1/ec2/placement-groups/", f.PlacementGroupFactory, "group_name"),
    ("/api/v1/ec2/key-pairs/", f.KeyPairFactory, "key_name"),
    ("/api/v1/ec2/elastic-ips/", f.ElasticIPFactory, "allocation_id"),
    ("/api/v1/ec2/images/", f.ImageFactory, "image_id"),
    ("/api/v1/ec2/security-groups/", f.SecurityGroupFactory, "group_id"),
    ("/api/v1/ec2/network-interfaces/", f.NetworkInterfaceFactory, "network_interface_id"),
    ("/api/v1/ec2/volumes/", f.VolumeFactory, "volume_id"),
    ("/api/v1/ec2/instance-types/", f.InstanceTypeFactory, "name"),
    ("/api/v1/accounts/", f.AccountFactory, "account_id"),
    ("/api/v1/sync-runs/", f.SyncRunFactory, "id"),
]
IDS = [url.removeprefix("/api/v1/").strip("/") for url, _, _ in ENDPOINTS]


def detail_url(list_url: str, row) -> str:
    lookup = row.name if list_url.endswith("instance-types/") else row.pk
    return f"{list_url}{lookup}/"


@pytest.fixture
def token_client(viewer) -> Client:
    key = Token.objects.create(user=viewer).key
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


@pytest.mark.parametrize(("url", "factory", "key"), ENDPOINTS, ids=IDS)
def test_viewer_session_lists_and_retrieves(viewer_client, url, factory, key):
    row = factory()
    answer = viewer_client.get(url)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == 1
    assert body["results"][0][key] == getattr(row, key)
    detail = viewer_client.get(detail_url(url, row))
    assert detail.status_code == 200
    assert detail.json()[key] == getattr(row, key)


@pytest.mark.parametrize(("url", "factory", "key"), ENDPOINTS, ids=IDS)
def test_token_auth_lists(token_client, url, factory, key):
    row = factory()
    answer = token_client.get(url)
    assert answer.status_code == 200, answer.content
    assert [r[key] for r in answer.json()["results"]] == [getattr(row, key)]


@pytest.mark.parametrize(("url", "factory", "key"), ENDPOINTS, ids=IDS)
def test_anonymous_gets_401_and_no_role_gets_403(no_role_user, url, factory, key):
    row = factory()
    anonymous = Client()
    for target in (url, detail_url(url, row)):
        answer = anonymous.get(target)
        assert answer.status_code == 401
        assert answer["WWW-Authenticate"] == "Token"
    roleless = Client()
    roleless.force_login(no_role_user)
    assert roleless.get(url).status_code == 403
    token = Token.objects.create(user=no_role_user).key
    assert Client(HTTP_AUTHORIZATION=f"Token {token}").get(url).status_code == 403


def test_a_wrong_token_is_refused(db):
    assert Client(HTTP_AUTHORIZATION="Token not-a-real-token").get("/api/v1/ec2/instances/").status_code == 401


@pytest.mark.parametrize(("url", "factory", "key"), ENDPOINTS, ids=IDS)
def test_every_endpoint_is_read_only(admin_user, url, factory, key):
    row = factory()
    token = Token.objects.create(user=admin_user).key
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    for target in (url, detail_url(url, row)):
        assert client.post(target, {}, content_type="application/json").status_code == 405
        assert client.put(target, {}, content_type="application/json").status_code == 405
        assert client.patch(target, {}, content_type="application/json").status_code == 405
        assert client.delete(target).status_code == 405
    assert client.get(detail_url(url, row)).status_code == 200  # still there


def test_instance_fields_carry_account_region_and_catalog(viewer_client):
    f.InstanceTypeFactory(name="r5.xlarge", vcpus=4, memory_mib=32768)
    row = f.InstanceFactory(
        account__account_id="210987654321",
        account__name="staging",
        region="eu-west-1",
        instance_type__name="r5.xlarge",
        lifecycle="spot",
        public_ip="54.1.2.3",
    )
    data = viewer_client.get(f"/api/v1/ec2/instances/{row.pk}/").json()
    assert data["account_id"] == "210987654321"
    assert data["region"] == "eu-west-1"
    assert data["instance_type"] == "r5.xlarge"
    assert (data["family"], data["category"]) == ("r5", "memory_optimized")
    assert (data["vcpus"], data["memory_mib"]) == (4, 32768)
    assert data["lifecycle"] == "spot"
    assert data["public_ip"] == "54.1.2.3"
    assert data["tags"]["Name"] == row.name
    assert "search_text" not in data


def test_instance_without_catalog_row_shows_null_vcpus(viewer_client):
    row = f.InstanceFactory()
    row.instance_type_id = "z9.mystery"  # the catalog has not synced this type yet
    row.save()
    data = viewer_client.get(f"/api/v1/ec2/instances/{row.pk}/").json()
    assert (data["instance_type"], data["vcpus"], data["memory_mib"]) == ("z9.mystery", None, None)


def test_instance_detail_by_account_region_and_instance_id(viewer_client):
    row = f.InstanceFactory(region="eu-west-1")
    f.InstanceFactory(instance_id=row.instance_id, region="us-east-1")  # the same id elsewhere
    answer = viewer_client.get(f"/api/v1/ec2/instances/123456789012/eu-west-1/{row.instance_id}/")
    assert answer.status_code == 200
    assert (answer.json()["id"], answer.json()["region"]) == (row.pk, "eu-west-1")
    assert viewer_client.get(f"/api/v1/ec2/instances/123456789012/ap-south-1/{row.instance_id}/").status_code == 404
    by_aws_id = f"/api/v1/ec2/instances/123456789012/eu-west-1/{row.instance_id}/"
    assert [viewer_client.generic(m, by_aws_id).status_code for m in ("POST", "PUT", "PATCH", "DELETE")] == [405] * 4
    assert viewer_client.get("/api/v1/ec2/instances/999999/").status_code == 404


def test_accounts_never_show_the_external_id(viewer_client):
    f.AccountFactory(
        account_id="210987654321", role_arn="arn:aws:iam::210987654321:role/fleetui-readonly", external_id="s3cr3t-xid"
    )
    answer = viewer_client.get("/api/v1/accounts/")
    assert answer.status_code == 200
    assert "s3cr3t-xid" not in answer.content.decode()
    row = answer.json()["results"][0]
    assert (row["role_arn"], row["ambient"]) == ("arn:aws:iam::210987654321:role/fleetui-readonly", False)


def test_list_query_count_does_not_grow_with_page_size(viewer_client):
    accounts = [f.AccountFactory(account_id=f"1000000000{i:02d}") for i in range(3)]
    for i in range(60):
        f.InstanceFactory(account=accounts[i % 3], instance_type__name=["m5.large", "c5.xlarge", "t3.micro"][i % 3])
    counts = {}
    for limit in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            answer = viewer_client.get(f"/api/v1/ec2/instances/?limit={limit}")
        assert len(answer.json()["results"]) == limit
        counts[limit] = len(queries)
    assert counts[5] == counts[50]
    assert counts[50] <= 6


def test_pagination_caps_the_page_and_links_the_next_one(viewer_client):
    f.KeyPairFactory.create_batch(3)
    body = viewer_client.get("/api/v1/ec2/key-pairs/?limit=2").json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert "offset=2" in body["next"]
    second = viewer_client.get(body["next"]).json()
    assert len(second["results"]) == 1
