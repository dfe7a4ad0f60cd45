"""The inventory pages: each renders with data, filters narrow, htmx gets the fragment, CSV matches the page."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    AccountFactory,
    ElasticIPFactory,
    ImageFactory,
    InstanceFactory,
    InstanceTypeFactory,
    KeyPairFactory,
    NetworkInterfaceFactory,
    PlacementGroupFactory,
    SecurityGroupFactory,
    SyncRunFactory,
    VolumeFactory,
    rollups_store,
)

INSTANCES = reverse("ec2:instance_list")
HEADER = (
    "account_id,region,instance_id,name,state,instance_type,family,category,lifecycle,tenancy,placement_group,"
    "key_name,image_id,launch_time,private_ip,public_ip"
)


@pytest.fixture
def fleet(db):
    """A small fleet where each filter value picks out a known instance."""
    prod = AccountFactory(account_id="111111111111", name="prod")
    dev = AccountFactory(account_id="222222222222", name="dev")
    c5 = InstanceTypeFactory(name="c5.xlarge", vcpus=4, memory_mib=8192)
    p3 = InstanceTypeFactory(name="p3.2xlarge", vcpus=8, memory_mib=62464, gpus=1)
    return {
        "web": InstanceFactory(account=prod, name="web-1", instance_id="i-0000000000000web1"),
        "batch": InstanceFactory(
            account=prod, region="eu-west-1", name="batch-1", instance_type=c5, lifecycle="spot", state="stopped"
        ),
        "gpu": InstanceFactory(
            account=dev,
            name="train-1",
            instance_type=p3,
            tenancy="dedicated",
            placement_group="hpc",
            key_name="",
            owner="",
            env="dev",
            availability_zone="us-east-1c",
            public_ip="54.1.2.3",
        ),
        "gone": InstanceFactory(account=dev, name="old-1", gone_at="2026-01-01T00:00:00Z"),
    }


def records(response) -> list:
    return [row.record for row in response.context["table"].page.object_list]


def names(response) -> set[str]:
    return {i.name for i in records(response)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"web-1", "batch-1", "train-1"}),
        ("account=222222222222", {"train-1"}),
        ("account=111111111111,222222222222", {"web-1", "batch-1", "train-1"}),
        ("region=eu-west-1", {"batch-1"}),
        ("region=eu-west-1,us-east-1", {"web-1", "batch-1", "train-1"}),
        ("az=us-east-1c", {"train-1"}),
        ("state=stopped", {"batch-1"}),
        ("instance_type=c5.xlarge", {"batch-1"}),
        ("family=p3", {"train-1"}),
        ("category=accelerated_computing", {"train-1"}),
        ("lifecycle=spot", {"batch-1"}),
        ("tenancy=dedicated", {"train-1"}),
        ("placement_group=hpc", {"train-1"}),
        ("key_name=-", {"train-1"}),
        ("key_name=ops-key", {"web-1", "batch-1"}),
        ("tag=Env%3Ddev", {"train-1"}),
        ("q=web", {"web-1"}),
        ("q=54.1.2.3", {"train-1"}),
        ("missing_tag=Owner", {"train-1"}),
        ("has_public_ip=true", {"train-1"}),
        ("gone=true", {"old-1"}),
    ],
)
def test_instance_filters_narrow_the_list(viewer_client, fleet, query, expected):
    response = viewer_client.get(f"{INSTANCES}?{query}")
    assert response.status_code == 200
    assert names(response) == expected


def test_instance_list_shows_columns_and_links(viewer_client, fleet):
    response = viewer_client.get(INSTANCES)
    html = response.content.decode()
    web = fleet["web"]
    detail = reverse("ec2:instance_detail", args=["111111111111", "us-east-1", web.instance_id])
    assert f'href="{detail}"' in html
    assert f'data-copy="{web.instance_id}"' in html
    assert "p3.2xlarge" in html and "61 GiB" in html  # memory from the joined catalog
    assert 'class="badge spot"' in html
    assert 'id="freshness"' in html  # the full page carries the freshness bar


@pytest.mark.parametrize(
    "query",
    ["lifecycle=sometimes", "tenancy=shared", "tag=novalue", "tag=%3Dvalue", "gone=maybe", "has_public_ip=yes-ish"],
)
def test_an_invalid_filter_shows_the_error_with_400(viewer_client, fleet, query):
    response = viewer_client.get(f"{INSTANCES}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="filter-errors"' in html
    assert names(response) == set()  # never the unfiltered list


def test_the_tag_error_says_how_to_write_it(viewer_client, fleet):
    response = viewer_client.get(f"{INSTANCES}?tag=novalue")
    assert "Key=Value" in response.content.decode()


def test_sorting_by_a_column(viewer_client, fleet):
    response = viewer_client.get(f"{INSTANCES}?sort=-name")
    assert [i.name for i in records(response)] == ["web-1", "train-1", "batch-1"]
    response = viewer_client.get(f"{INSTANCES}?sort=instance_type")
    assert [i.name for i in records(response)] == ["batch-1", "web-1", "train-1"]
    response = viewer_client.get(f"{INSTANCES}?sort=-launch_time")
    assert [i.name for i in records(response)] == ["train-1", "batch-1", "web-1"]  # created in that order, reversed


def test_an_unknown_sort_or_page_is_not_an_error(viewer_client, fleet):
    for query in ["sort=nonsense", "page=999", "page=abc", "per_page=100000"]:
        response = viewer_client.get(f"{INSTANCES}?{query}")
        assert response.status_code == 200, query
        assert len(names(response)) == 3


def test_per_page_is_limited_to_the_offered_sizes(viewer_client, db):
    InstanceFactory.create_batch(30)
    assert len(records(viewer_client.get(f"{INSTANCES}?per_page=25"))) == 25
    assert len(records(viewer_client.get(f"{INSTANCES}?per_page=7"))) == 30  # default 50
    second = viewer_client.get(f"{INSTANCES}?per_page=25&page=2")
    assert len(records(second)) == 5


def test_htmx_gets_only_the_results_fragment(viewer_client, fleet):
    response = viewer_client.get(f"{INSTANCES}?state=stopped", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "batch-1" in html and "web-1" not in html
    assert "<html" not in html and 'class="filters"' not in html and 'id="freshness"' not in html
    assert 'hx-get="?state=stopped&amp;sort=' in html  # sort links keep the filters


@pytest.mark.parametrize("header", ["HX-Boosted", "HX-History-Restore-Request"])
def test_boosted_and_history_restore_requests_get_the_whole_page(viewer_client, fleet, header):
    response = viewer_client.get(INSTANCES, headers={"HX-Request": "true", header: "true"})
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_htmx_invalid_filter_fragment_has_the_error(viewer_client, fleet):
    response = viewer_client.get(f"{INSTANCES}?lifecycle=sometimes", headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert 'id="filter-errors"' in response.content.decode()


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_csv_export_streams_every_matching_row(viewer_client, fleet):
    InstanceFactory.create_batch(60, region="eu-west-1")  # more than a page
    response = viewer_client.get(f"{INSTANCES}?region=eu-west-1&export=csv&sort=name")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert ",".join(rows[0]).startswith(HEADER)
    assert rows[0][16:] == [
        "vcpus", "memory_mib", "availability_zone", "owner", "env", "reserved", "cost_per_hour", "cost_source",
        "cost_as_of",
    ]  # fmt: skip
    assert len(rows) == 1 + 61
    batch = next(r for r in rows if r[3] == "batch-1")
    assert batch[:10] == [
        "111111111111", "eu-west-1", fleet["batch"].instance_id, "batch-1", "stopped", "c5.xlarge", "c5",
        "compute_optimized", "spot", "default",
    ]  # fmt: skip
    assert batch[16:22] == ["4", "8192", "eu-west-1a", "alice", "prod", "False"]


def test_csv_neutralises_spreadsheet_formulas(viewer_client, db):
    InstanceFactory(name="=HYPERLINK(1)")
    rows = read_csv(viewer_client.get(f"{INSTANCES}?export=csv"))
    assert rows[1][3] == "'=HYPERLINK(1)"


def test_csv_with_an_invalid_filter_is_the_page_with_the_error(viewer_client, fleet):
    response = viewer_client.get(f"{INSTANCES}?export=csv&lifecycle=sometimes")
    assert response.status_code == 400
    assert 'id="filter-errors"' in response.content.decode()


def page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_instance_list_query_count_does_not_grow_with_the_page(viewer_client, db):
    types = [InstanceTypeFactory(name=n) for n in ("m5.large", "c5.large", "r5.large")]
    accounts = [AccountFactory(account_id=f"{n}" * 12, name=f"a{n}") for n in (3, 4)]
    for i in range(110):
        InstanceFactory(instance_type=types[i % 3], account=accounts[i % 2])
    SyncRunFactory(account=accounts[0])
    small = page_queries(viewer_client, f"{INSTANCES}?per_page=25")
    large = page_queries(viewer_client, f"{INSTANCES}?per_page=100&sort=-launch_time")
    filtered = page_queries(viewer_client, f"{INSTANCES}?per_page=100&state=running&tag=Env%3Dprod")
    assert (small, large) == (filtered, filtered)
    assert small <= 11  # 10, and one for the values of every choice filter (account, region, AZ, state, type, ...)


def test_overview_counts_and_links(viewer_client, fleet):
    ElasticIPFactory(account=fleet["web"].account)
    ElasticIPFactory(account=fleet["web"].account, association_id="eipassoc-1", instance_id="i-1")
    SecurityGroupFactory(world_open=True)
    rollups_store()
    response = viewer_client.get(reverse("inventory:overview"))
    assert response.status_code == 200
    # The EC2 panel's context (other services' panels render on the same page).
    data = next(panel["overview"] for panel in response.context["panels"] if "overview" in panel)
    assert data.total == 3
    assert {b.value: b.count for b in data.breakdowns["State"]} == {"running": 2, "stopped": 1}
    assert {b.value: b.count for b in data.breakdowns["Purchase option"]} == {"on-demand": 2, "spot": 1}
    assert {b.value: b.label for b in data.breakdowns["Account"]} == {"111111111111": "prod", "222222222222": "dev"}
    assert data.findings["unattached_eips"] == 1
    assert data.findings["critical_sgs"] == 1
    assert data.findings["no_key_pair"] == 1
    assert data.findings["missing_owner"] == 1
    html = response.content.decode()
    assert f'href="{INSTANCES}?lifecycle=spot"' in html
    assert f'href="{INSTANCES}?family=p3"' in html
    assert f'href="{INSTANCES}?missing_tag=Owner"' in html
    assert f'href="{reverse("ec2:elastic_ip_list")}?attached=false"' in html


def test_instance_detail_shows_everything_attached(viewer_client, fleet):
    web = fleet["web"]
    open_sg = SecurityGroupFactory(account=web.account, group_id="sg-0default0000000", world_open=True)
    VolumeFactory(account=web.account, instance_id=web.instance_id, volume_id="vol-0aaa")
    VolumeFactory(account=web.account, instance_id="i-other", volume_id="vol-0bbb")
    NetworkInterfaceFactory(account=web.account, instance_id=web.instance_id, network_interface_id="eni-0aaa")
    url = reverse("ec2:instance_detail", args=[web.account.account_id, web.region, web.instance_id])
    response = viewer_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "vol-0aaa" in html and "vol-0bbb" not in html
    assert "eni-0aaa" in html
    assert open_sg.group_id in html and 'class="sev-critical"' in html
    console = (
        "https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1"
        f"#InstanceDetails:instanceId={web.instance_id}"
    )
    assert console in html
    assert "Owner" in html and "alice" in html


def test_instance_detail_of_an_unknown_instance_is_404(viewer_client, fleet):
    url = reverse("ec2:instance_detail", args=["111111111111", "us-east-1", "i-nope"])
    assert viewer_client.get(url).status_code == 404


@pytest.fixture
def resources(fleet):
    prod = fleet["web"].account
    PlacementGroupFactory(account=prod, group_name="hpc", strategy="cluster")
    PlacementGroupFactory(account=fleet["gpu"].account, group_name="hpc", strategy="cluster")
    PlacementGroupFactory(account=prod, group_name="spread-1", strategy="spread")
    KeyPairFactory(account=prod, key_name="ops-key")
    KeyPairFactory(account=prod, key_name="unused-key")
    ElasticIPFactory(account=prod, public_ip="54.0.0.1")
    ElasticIPFactory(
        account=prod, public_ip="54.0.0.2", association_id="eipassoc-1", instance_id=fleet["web"].instance_id
    )
    ImageFactory(account=prod, name="fresh")
    ImageFactory(account=prod, name="ancient", creation_date="2020-01-01T00:00:00Z")
    SecurityGroupFactory(account=prod, group_name="open-ssh", world_open=True)
    SecurityGroupFactory(account=prod, group_name="closed")
    SyncRunFactory(account=prod, status="failed", error="AccessDenied: not allowed to DescribeInstances")
    return fleet


@pytest.mark.parametrize(
    ("name", "query", "expected"),
    [
        ("ec2:placement_group_list", "", 3),
        ("ec2:placement_group_list", "strategy=spread", 1),
        ("ec2:key_pair_list", "q=unused", 1),
        ("ec2:elastic_ip_list", "", 2),
        ("ec2:elastic_ip_list", "attached=false", 1),
        ("ec2:image_list", "", 2),
        ("ec2:image_list", "created_before=2021-01-01T00:00:00Z", 1),
        ("ec2:security_group_list", "", 2),
        ("ec2:security_group_list", "severity=critical", 1),
        ("ec2:security_group_list", "severity=warning,info", 0),
        ("ec2:instance_type_list", "", 3),
        ("ec2:instance_type_list", "gpu=true", 1),
        ("inventory:sync_run_list", "status=failed", 1),
        ("inventory:sync_run_list", "status=succeeded", 0),
    ],
)
def test_resource_lists_render_and_filter(viewer_client, resources, name, query, expected):
    response = viewer_client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 200
    assert len(records(response)) == expected


def test_placement_group_members_and_key_pair_users_are_counted_per_account(viewer_client, resources):
    response = viewer_client.get(reverse("ec2:placement_group_list"))
    counts = {(g.account.name, g.group_name): g.member_count for g in records(response)}
    assert counts == {("prod", "hpc"): 0, ("dev", "hpc"): 1, ("prod", "spread-1"): 0}
    response = viewer_client.get(reverse("ec2:key_pair_list"))
    assert {k.key_name: k.instance_count for k in records(response)} == {
        "ops-key": 1,  # web-1; batch-1 uses a key of the same name in eu-west-1
        "unused-key": 0,
    }
    assert f"{INSTANCES}?account=111111111111&amp;region=us-east-1&amp;key_name=ops-key" in response.content.decode()


def test_findings_are_highlighted(viewer_client, resources):
    eips = viewer_client.get(reverse("ec2:elastic_ip_list")).content.decode()
    assert eips.count('<tr class="finding') == 1 and "unattached" in eips
    sgs = viewer_client.get(reverse("ec2:security_group_list")).content.decode()
    assert sgs.count('<tr class="finding-critical') == 1 and 'class="sev-critical"' in sgs
    images = viewer_client.get(reverse("ec2:image_list")).content.decode()
    assert images.count('<tr class="finding') == 1 and ">old<" in images
    runs = viewer_client.get(reverse("inventory:sync_run_list")).content.decode()
    assert "AccessDenied: not allowed to DescribeInstances" in runs


@pytest.mark.parametrize(
    ("name", "header"),
    [
        (
            "ec2:placement_group_list",
            "account_id,region,group_name,group_id,strategy,partition_count,state,member_count",
        ),
        ("ec2:key_pair_list", "account_id,region,key_name,key_pair_id,key_type,fingerprint,create_time,instance_count"),
        (
            "ec2:elastic_ip_list",
            "account_id,region,public_ip,allocation_id,association_id,instance_id,private_ip,domain",
        ),
        ("ec2:image_list", "account_id,region,image_id,name,state,architecture,platform,public,creation_date"),
        ("ec2:security_group_list", "account_id,region,group_id,group_name,vpc_id,severity,description"),
        ("ec2:instance_type_list", "name,family,category,vcpus,memory_mib,gpus"),
        ("inventory:sync_run_list", "account_id,region,resource_type,status"),
    ],
)
def test_every_list_exports_csv(viewer_client, resources, name, header):
    rows = read_csv(viewer_client.get(f"{reverse(name)}?export=csv"))
    assert ",".join(rows[0]).startswith(header)
    page = viewer_client.get(reverse(name))
    assert len(rows) - 1 == page.context["table"].paginator.count


def test_severity_csv_matches_the_filter(viewer_client, resources):
    rows = read_csv(viewer_client.get(f"{reverse('ec2:security_group_list')}?severity=critical&export=csv"))
    assert [r[3] for r in rows[1:]] == ["open-ssh"]


def test_csv_export_runs_no_page_queries(viewer_client, fleet):
    with CaptureQueriesContext(connection) as ctx:
        response = viewer_client.get(f"{INSTANCES}?export=csv&sort=-name")
        rows = read_csv(response)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not any("COUNT(" in q for q in sql)  # no pagination work before streaming
    assert [r[3] for r in rows[1:]] == ["web-1", "train-1", "batch-1"]  # the page's sort


def test_rows_with_equal_sort_values_keep_their_place_across_pages(viewer_client, db):
    account = AccountFactory()
    created = [InstanceFactory(account=account, state="running") for _ in range(30)]
    seen: list[str] = []
    for page in (1, 2):
        response = viewer_client.get(f"{INSTANCES}?sort=state&per_page=25&page={page}")
        seen += [instance.instance_id for instance in records(response)]
    # Every row shows exactly once, in primary-key order among the equal states.
    assert seen == [instance.instance_id for instance in created]


def test_the_security_group_filter_matches_the_exact_group_id(viewer_client, db):
    account = AccountFactory()
    web_sg = {"id": "sg-0abc1234abcd12345", "name": "web"}
    member = InstanceFactory(account=account, name="member", security_groups=[web_sg])
    # A longer id that starts with the same characters, and the id as a tag value, must not match.
    InstanceFactory(account=account, name="longer-id", security_groups=[{"id": "sg-0abc1234abcd123456", "name": "x"}])
    InstanceFactory(account=account, name="mentions-it", tags={"Note": "sg-0abc1234abcd12345"})
    response = viewer_client.get(f"{INSTANCES}?security_group=sg-0abc1234abcd12345")
    assert response.status_code == 200
    assert names(response) == {member.name}


def test_filter_labels_read_as_people_say_them(viewer_client, resources):
    """Labels a person wrote, not django-filter's generated "Vcpus is greater than or equal to"."""
    types = viewer_client.get(reverse("ec2:instance_type_list")).content.decode()
    assert ">Min vCPU<" in types and ">Min memory (MiB)<" in types and "greater than" not in types
    images = viewer_client.get(reverse("ec2:image_list")).content.decode()
    assert ">Created before<" in images and "is less than" not in images
    groups = viewer_client.get(reverse("ec2:security_group_list")).content.decode()
    assert ">VPC<" in groups and ">Finding<" in groups and "Vpc id" not in groups
