"""The client factory, accounts (ambient and assume-role), regions and pagination, against moto's server."""

import threading

import pytest

from fleetui.aws import (
    QUICK,
    STANDARD,
    AccountRef,
    caller_account_id,
    calls_profile,
    client_get,
    paginate,
    regions_list,
    session_get,
)
from fleetui.aws.clients import DEFAULT_MAX_ATTEMPTS, QUICK_MAX_ATTEMPTS, USER_AGENT_EXTRA
from fleetui.aws.errors import AwsAccessDenied

SECOND = AccountRef(account_id="210987654321", role_arn="arn:aws:iam::210987654321:role/x")


def test_one_config_standard_retries_more_attempts_timeouts_user_agent(aws):
    config = client_get("ec2", region="eu-west-1").meta.config
    assert config.retries == {"mode": "standard", "total_max_attempts": DEFAULT_MAX_ATTEMPTS}
    assert DEFAULT_MAX_ATTEMPTS > 3
    assert config.connect_timeout == 10
    assert config.read_timeout == 120
    assert USER_AGENT_EXTRA in config.user_agent_extra


def test_the_quick_profile_has_short_timeouts_one_retry_and_its_own_clients(aws):
    standard = client_get("ec2", region="eu-west-1")
    with calls_profile(QUICK):
        quick = client_get("ec2", region="eu-west-1")
        assert client_get("ec2", region="eu-west-1") is quick
        with calls_profile(STANDARD):
            assert client_get("ec2", region="eu-west-1") is standard
    assert quick is not standard and client_get("ec2", region="eu-west-1") is standard
    config = quick.meta.config
    assert config.retries == {"mode": "standard", "total_max_attempts": QUICK_MAX_ATTEMPTS}
    assert (config.connect_timeout, config.read_timeout) == (3, 10)
    assert quick.describe_regions()["Regions"]  # a working client, same endpoint
    with pytest.raises(ValueError, match="Unknown AWS calls profile"), calls_profile("slow"):
        pass


def test_aws_max_attempts_from_the_environment_wins(aws, monkeypatch):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    assert client_get("ec2", region="us-east-1").meta.config.retries["total_max_attempts"] == 2


def test_standard_boto3_configuration_is_honoured(aws):
    client = client_get("ec2")
    assert client.meta.endpoint_url == aws  # AWS_ENDPOINT_URL, read by boto3 itself
    assert client.meta.region_name == "us-east-1"  # AWS_DEFAULT_REGION


def test_clients_are_cached_per_account_region_service_across_threads(aws):
    found = []
    threads = [threading.Thread(target=lambda: found.append(client_get("ec2", region="eu-west-1"))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(client) for client in found}) == 1
    assert client_get("ec2", region="us-east-1") is not found[0]
    assert client_get("ec2", region="eu-west-1", account=SECOND) is not found[0]


def test_ambient_account_id(aws):
    assert caller_account_id() == "123456789012"


def test_assume_role_reaches_the_other_account_with_refreshable_credentials(aws):
    assert caller_account_id(account=SECOND) == "210987654321"
    credentials = session_get(SECOND).get_credentials()
    assert credentials.method == "fleetui-assume-role"
    assert credentials.refresh_needed() is False  # fetched, with an expiry in the future
    # The same ec2 call lands in different accounts: the second one sees none of the first's key pairs.
    client_get("ec2").create_key_pair(KeyName="only-in-default")
    assert [k["KeyName"] for k in client_get("ec2").describe_key_pairs()["KeyPairs"]] == ["only-in-default"]
    assert client_get("ec2", account=SECOND).describe_key_pairs()["KeyPairs"] == []


def test_assume_role_sends_the_external_id(aws):
    account = AccountRef(account_id="210987654321", role_arn=SECOND.role_arn, external_id="secret-ext")
    sent = []
    base_sts = session_get(account)._session.get_component("credential_provider").providers[0]._sts
    base_sts.meta.events.register("provide-client-params.sts.AssumeRole", lambda params, **kw: sent.append(params))
    caller_account_id(account=account)
    assert sent and sent[0]["ExternalId"] == "secret-ext"
    assert sent[0]["RoleArn"] == SECOND.role_arn


def test_assume_role_refusal_is_access_denied(aws):
    account = AccountRef(account_id="210987654321", role_arn=SECOND.role_arn)
    provider = session_get(account)._session.get_component("credential_provider").providers[0]

    def refuse(**kwargs):
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not allowed"}}, "AssumeRole")

    provider._sts.meta.events.register("before-call.sts.AssumeRole", refuse)
    with pytest.raises(AwsAccessDenied, match="AssumeRole"):
        caller_account_id(account=account)


def test_regions_configured_by_the_caller_win(aws):
    assert regions_list(configured=["eu-west-1", "us-east-1", "eu-west-1"]) == ["eu-west-1", "us-east-1"]


def test_regions_discovered_ask_for_the_enabled_ones(aws):
    sent = []
    client_get("ec2").meta.events.register(
        "provide-client-params.ec2.DescribeRegions", lambda params, **kw: sent.append(params)
    )
    regions = regions_list()
    assert "us-east-1" in regions and "eu-west-1" in regions
    assert regions == sorted(regions)
    # moto ignores this filter; AWS answers only the regions that need no opt-in or are opted in.
    assert sent == [{"Filters": [{"Name": "opt-in-status", "Values": ["opt-in-not-required", "opted-in"]}]}]


def test_paginate_follows_every_page_and_non_paginated_calls_are_one_page(ec2):
    image_id = ec2.describe_images(Owners=["amazon"], MaxResults=5)["Images"][0]["ImageId"]
    for _ in range(7):
        ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)
    pages = list(paginate(client_get("ec2"), "describe_instances", "Reservations", PaginationConfig={"PageSize": 5}))
    assert [len(page) for page in pages] == [5, 2]
    ec2.create_key_pair(KeyName="k")
    pages = list(paginate(client_get("ec2"), "describe_key_pairs", "KeyPairs", PaginationConfig={"PageSize": 5}))
    assert [[key["KeyName"] for key in page] for page in pages] == [["k"]]
