"""The Beanstalk pages: lists (filters, htmx fragment, CSV), the application page's side-by-side cards with the
production badge and the standby banner, and the environment page's resources linked to the EC2 inventory."""

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fleetui.actions.models import Action
from fleetui.beanstalk import selectors, swaps
from fleetui.ec2.models import Instance
from tests.factories import AccountFactory, InstanceFactory

from .factories import (
    ApplicationFactory,
    EnvironmentFactory,
    EventFactory,
    VersionFactory,
    swap_action,
)

ACCOUNT_ID, REGION = "123456789012", "us-east-1"
ENVIRONMENTS = reverse("beanstalk:environment_list")


@pytest.fixture
def storefront(db):
    """The demo's storefront: blue holds storefront.<region>.elasticbeanstalk.com, green is idle, plus a worker."""
    app = ApplicationFactory()
    for label in ("v41", "v42"):
        VersionFactory(version_label=label)
    return {
        "app": app,
        "blue": EnvironmentFactory(
            environment_id="e-blue000001", environment_name="storefront-blue", prefix="storefront", version_label="v41"
        ),
        "green": EnvironmentFactory(
            environment_id="e-green00001", environment_name="storefront-green", version_label="v42"
        ),
        "worker": EnvironmentFactory(
            environment_id="e-worker0001", environment_name="storefront-worker", tier="Worker", tier_type="SQS/HTTP"
        ),
    }


def app_url(name="storefront"):
    return reverse("beanstalk:application_detail", args=[ACCOUNT_ID, REGION, name])


def env_url(environment_id):
    return reverse("beanstalk:environment_detail", args=[ACCOUNT_ID, REGION, environment_id])


def card(html: str, environment_id: str) -> str:
    """The HTML of one environment's card on the application page."""
    match = re.search(rf'<section class="panel env-card" id="env-{environment_id}".*?</section>', html, re.S)
    assert match, f"no card for {environment_id}"
    return match.group(0)


@pytest.mark.parametrize("name", ["application_list", "environment_list", "version_list"])
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(f"beanstalk:{name}"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_anonymous_is_sent_to_login_from_the_detail_pages(client, storefront):
    for url in (app_url(), env_url("e-blue000001")):
        assert client.get(url)["Location"].startswith(reverse("login") + "?next=")


def test_the_nav_links_beanstalk(viewer_client, storefront):
    html = viewer_client.get(ENVIRONMENTS).content.decode()
    assert f'<a href="{reverse("beanstalk:application_list")}" aria-current="page">Beanstalk</a>' in html
    assert html.count('id="results"') == 1 and html.count('<table class="data"') == 1  # the fragment once
    assert f'<a href="{ENVIRONMENTS}" aria-current="page">Environments</a>' in html  # the Beanstalk tabs


def test_environment_list_shows_tier_status_health_and_filters(viewer_client, storefront):
    EnvironmentFactory(environment_name="billing-green", application_name="billing-api", health="Yellow",
                       health_status="Warning", region="eu-west-1")  # fmt: skip
    html = viewer_client.get(ENVIRONMENTS).content.decode()
    for name in ("storefront-blue", "storefront-green", "storefront-worker", "billing-green"):
        assert name in html
    assert '<span class="badge warn">Yellow</span> <span class="muted">Warning</span>' in html
    assert "storefront.us-east-1.elasticbeanstalk.com" in html
    assert f'href="{env_url("e-blue000001")}"' in html and f'href="{app_url()}"' in html

    def names(query):
        page = viewer_client.get(ENVIRONMENTS + query)
        assert page.status_code == 200, page.content.decode()[:500]
        return sorted(re.findall(r">([a-z-]+)</a> <span class=\"muted small\">e-", page.content.decode()))

    assert names("?tier=Worker") == ["storefront-worker"]
    assert names("?health=Yellow,Red") == ["billing-green"]
    assert names("?application=storefront&q=green") == ["storefront-green"]
    assert names("?region=eu-west-1") == ["billing-green"]
    assert names(f"?account={ACCOUNT_ID}&status=Ready&tier=WebServer&region=us-east-1") == [
        "storefront-blue",
        "storefront-green",
    ]


def test_an_invalid_filter_is_a_400_with_the_error(viewer_client, storefront):
    page = viewer_client.get(ENVIRONMENTS + "?tier=Mainframe")
    assert page.status_code == 400 and "filter-errors" in page.content.decode()
    assert "storefront-blue" not in page.content.decode()


def test_htmx_gets_only_the_results_fragment(viewer_client, storefront):
    page = viewer_client.get(ENVIRONMENTS + "?tier=WebServer", HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert page.status_code == 200 and "<html" not in html and "storefront-green" in html
    assert "storefront-worker" not in html


def test_environment_csv_is_what_the_filters_select(viewer_client, storefront):
    response = viewer_client.get(ENVIRONMENTS + "?tier=WebServer&sort=environment_name&export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["environment_name"] for row in rows] == ["storefront-blue", "storefront-green"]
    assert rows[0]["cname"] == "storefront.us-east-1.elasticbeanstalk.com"
    assert (rows[0]["account_id"], rows[0]["tier"], rows[0]["health"], rows[0]["version_label"]) == (
        ACCOUNT_ID,
        "WebServer",
        "Green",
        "v41",
    )


def test_application_and_version_lists(viewer_client, storefront):
    apps = viewer_client.get(reverse("beanstalk:application_list")).content.decode()
    assert f'href="{app_url()}"' in apps
    # Three live environments, linked to the environments list filtered to the application.
    assert re.search(r"application=storefront\">3</a>", apps)
    # The source bundle is an optional column: asked for by name.
    versions = viewer_client.get(reverse("beanstalk:version_list") + "?q=v42&columns=version_label,source_bundle")
    versions = versions.content.decode()
    assert "s3://bundles/storefront/v42.zip" in versions and "v41.zip" not in versions
    exported = viewer_client.get(reverse("beanstalk:application_list") + "?export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert [(r["application_name"], r["environment_count"], r["versions"]) for r in rows] == [
        ("storefront", "3", "v41 v42")
    ]


def test_application_page_cards_show_who_holds_the_production_url(viewer_client, storefront):
    html = viewer_client.get(app_url()).content.decode()
    # Before any swap, production is the web environment whose CNAME prefix is the application's name.
    assert "<strong>storefront.us-east-1.elasticbeanstalk.com</strong>" in html
    blue, green = card(html, "e-blue000001"), card(html, "e-green00001")
    assert 'data-production="true"' in blue and "production URL</span>" in blue
    assert 'data-production="false"' in green and "production URL</span>" not in green
    assert "v41" in blue and "v42" in green
    assert "storefront-green.us-east-1.elasticbeanstalk.com" in green
    # The worker is listed apart, not as a card.
    assert 'id="env-e-worker0001"' not in html
    assert "they have no URL and take no part in swaps" in html and "storefront-worker" in html
    assert "standby until" not in html.lower()


def test_after_a_swap_the_badge_moves_and_the_old_production_is_the_standby(viewer_client, viewer, storefront):
    blue, green = storefront["blue"], storefront["green"]
    action = swap_action(user=viewer, promoted=green, standby=blue, finished_ago=dt.timedelta(minutes=10),
                         warnings=["billing.example.com points at the load balancer"])  # fmt: skip
    # The sync has seen the exchange: green now has the production CNAME.
    green.cname, blue.cname = blue.cname, green.cname
    green.save(), blue.save()
    html = viewer_client.get(app_url()).content.decode()
    blue_card, green_card = card(html, "e-blue000001"), card(html, "e-green00001")
    assert 'data-production="true"' in green_card and 'data-production="false"' in blue_card
    banner = re.search(r'<div class="alert warn standby".*?</div>', blue_card, re.S).group(0)
    until = action.finished_at + swaps.dns_grace()
    assert f'Standby until <time datetime="{until.isoformat()}"' in banner
    assert f"{until:%H:%M} UTC" in banner and "(50 min left)" in banner
    assert "DNS resolvers and clients keep the old CNAME answer for its TTL and often longer" in banner
    assert "fleetui refuses to terminate it until then; swap back returns production to it" in banner
    assert "standby" not in green_card.lower()
    # The swap history row: who, promoted, the URL, the CNAMEs before and after, the warning, the action link.
    history = re.search(rf'<tr data-action="{action.pk}">.*?</tr>', html, re.S).group(0)
    assert "vera" in history and "storefront-green" in history
    assert "storefront.us-east-1.elasticbeanstalk.com" in history
    assert "storefront-green.us-east-1.elasticbeanstalk.com" in history and "→" in history
    assert "billing.example.com points at the load balancer" in history
    assert reverse("actions:detail", args=[action.pk]) in history


def test_the_standby_banner_ends_with_the_grace_period(viewer_client, viewer, storefront, settings):
    settings.FLEETUI_BEANSTALK_DNS_GRACE = 300
    swap_action(user=viewer, promoted=storefront["green"], standby=storefront["blue"])  # 10 min ago
    assert "Standby until" not in viewer_client.get(app_url()).content.decode()


def test_a_failed_swap_makes_no_standby(viewer_client, viewer, storefront):
    swap_action(user=viewer, promoted=storefront["green"], standby=storefront["blue"], status="failed")
    html = viewer_client.get(app_url()).content.decode()
    assert "Standby until" not in html and '<span class="badge bad">failed</span>' in html


def test_standbys_are_decided_by_each_environments_latest_swap_in_one_query(viewer, storefront):
    """The page reads every environment's standby state in one query; the latest swap involving it decides."""
    blue, green = storefront["blue"], storefront["green"]
    third = EnvironmentFactory(environment_id="e-third00001", environment_name="storefront-third")
    first = swap_action(user=viewer, promoted=green, standby=blue, finished_ago=dt.timedelta(minutes=30))
    second = swap_action(user=viewer, promoted=third, standby=green, finished_ago=dt.timedelta(minutes=5))
    swap_action(user=viewer, promoted=blue, standby=third, finished_ago=dt.timedelta(hours=3))  # past the grace
    ids = [env.environment_id for env in (blue, green, third)]
    account = blue.account
    with CaptureQueriesContext(connection) as queries:
        batch = swaps.standbys_of(account=account, region=REGION, environment_ids=ids)
    assert len(queries) == 1
    assert {eid: s.action.pk for eid, s in batch.items()} == {
        blue.environment_id: first.pk,
        green.environment_id: second.pk,
    }
    assert swaps.standby_of(account=account, region=REGION, environment_id=third.environment_id) is None


def test_application_page_lists_versions_events_and_costs_the_same_queries_at_any_size(viewer_client, storefront):
    EventFactory(message="Environment update completed successfully.", severity="INFO")
    EventFactory(message="Environment health has transitioned from Ok to Warning.", severity="WARN",
                 environment_name="storefront-green")  # fmt: skip
    html = viewer_client.get(app_url()).content.decode()
    assert "Environment health has transitioned from Ok to Warning." in html
    assert '<span class="badge warn">WARN</span>' in html
    assert re.search(r"<strong>v41</strong>.*?storefront-blue", html, re.S)
    with CaptureQueriesContext(connection) as small:
        viewer_client.get(app_url())
    for n in range(4):
        EnvironmentFactory(environment_name=f"storefront-extra{n}")
        EventFactory()
        VersionFactory()
    with CaptureQueriesContext(connection) as large:
        assert viewer_client.get(app_url()).status_code == 200
    assert len(large) == len(small)


def test_unknown_application_or_environment_is_404(viewer_client, storefront):
    assert viewer_client.get(app_url("nope")).status_code == 404
    assert viewer_client.get(env_url("e-nope000000")).status_code == 404


def test_environment_page_links_instances_to_the_ec2_inventory(viewer_client, storefront):
    blue = storefront["blue"]
    known = InstanceFactory(account=blue.account, region=REGION, instance_id="i-0aaaaaaaaaaaaaaa1", state="running")
    blue.resources = {**blue.resources, "instances": ["i-0aaaaaaaaaaaaaaa1", "i-0bbbbbbbbbbbbbbb2"]}
    blue.save()
    EventFactory(message="Deployed v41.", environment_name="storefront-blue")
    EventFactory(message="Green only.", environment_name="storefront-green")
    html = viewer_client.get(env_url("e-blue000001")).content.decode()
    instance_url = reverse("ec2:instance_detail", args=[ACCOUNT_ID, REGION, "i-0aaaaaaaaaaaaaaa1"])
    row = re.search(r'<tr data-instance="i-0aaaaaaaaaaaaaaa1">.*?</tr>', html, re.S).group(0)
    assert f'href="{instance_url}"' in row and "running" in row and known.instance_type_id in row
    missing = re.search(r'<tr data-instance="i-0bbbbbbbbbbbbbbb2">.*?</tr>', html, re.S).group(0)
    assert "not in the inventory yet" in missing and "href" not in missing.replace("data-copy", "")
    assert "awseb-e-blue000001-stack-AWSEBAutoScalingGroup-X" in html
    assert "production URL</span>" in html and "storefront.us-east-1.elasticbeanstalk.com" in html
    assert "Deployed v41." in html and "Green only." not in html


def test_environment_page_of_a_worker_and_of_the_standby(viewer_client, viewer, storefront):
    worker = viewer_client.get(env_url("e-worker0001")).content.decode()
    assert "it has no URL and takes no part in swaps" in worker and "https://sqs/q" in worker
    swap_action(user=viewer, promoted=storefront["green"], standby=storefront["blue"])
    standby = viewer_client.get(env_url("e-blue000001")).content.decode()
    assert "fleetui refuses to terminate it until then" in standby


def test_environment_page_events_are_newest_first_and_limited(viewer_client, storefront):
    now = dt.datetime.now(dt.UTC)
    for n in range(selectors.RECENT_EVENTS + 5):
        EventFactory(message=f"Message {n:03d}.", event_date=now - dt.timedelta(minutes=n))
    html = viewer_client.get(env_url("e-blue000001")).content.decode()
    shown = re.findall(r"Message (\d{3})\.", html)
    assert shown == [f"{n:03d}" for n in range(selectors.RECENT_EVENTS)]


def test_the_same_application_name_in_another_account_is_another_page(viewer_client, storefront):
    other = AccountFactory(account_id="210987654321", name="other")
    ApplicationFactory(account=other)
    EnvironmentFactory(account=other, environment_name="other-blue", prefix="storefront")
    html = viewer_client.get(app_url()).content.decode()
    assert "other-blue" not in html and "storefront-blue" in html


def test_environment_page_costs_the_same_queries_at_any_size(viewer_client, storefront):
    blue = storefront["blue"]

    def grow(n: int) -> None:
        ids = [f"i-{k:017x}" for k in range(n)]
        for instance_id in ids[::2]:  # half of them known to the EC2 inventory
            if not Instance.objects.filter(instance_id=instance_id).exists():
                InstanceFactory(account=blue.account, region=REGION, instance_id=instance_id)
        blue.resources = {**blue.resources, "instances": ids}
        blue.save()
        for _ in range(n):
            EventFactory(environment_name="storefront-blue")

    grow(2)
    with CaptureQueriesContext(connection) as small:
        viewer_client.get(env_url("e-blue000001"))
    grow(10)
    with CaptureQueriesContext(connection) as large:
        html = viewer_client.get(env_url("e-blue000001")).content.decode()
    assert html.count("<tr data-instance=") == 10 and html.count("not in the inventory yet") == 5
    assert len(large) == len(small)


def test_an_ec2_instance_page_says_which_environment_runs_it(viewer_client, storefront):
    """EC2's page asks the engines what owns an instance (fleetui.core.menu.owners_of); Beanstalk answers from its
    environments' resources. A gone environment owns nothing, and neither does another region's."""
    blue, green = storefront["blue"], storefront["green"]
    instance = InstanceFactory(account=blue.account, region=REGION, instance_id="i-0aaaaaaaaaaaaaaa1")
    other = InstanceFactory(account=blue.account, region=REGION, instance_id="i-0ccccccccccccccc3")
    blue.resources = {**blue.resources, "instances": [instance.instance_id]}
    blue.save()
    green.resources = {**green.resources, "instances": [instance.instance_id, other.instance_id]}
    green.gone_at = timezone.now()
    green.save()
    html = viewer_client.get(reverse("ec2:instance_detail", args=[ACCOUNT_ID, REGION, instance.instance_id])).content
    owners = re.search(r'<p class="owners">.*?</p>', html.decode(), re.S).group(0)
    assert "Elastic Beanstalk environment" in owners
    assert f'href="{env_url("e-blue000001")}">storefront-blue (application storefront)</a>' in owners
    assert "storefront-green" not in owners
    other_html = viewer_client.get(reverse("ec2:instance_detail", args=[ACCOUNT_ID, REGION, other.instance_id]))
    assert 'class="owners"' not in other_html.content.decode()


def test_a_swap_reads_as_names_and_a_before_after_table_with_internals_folded_away(viewer_client, viewer, storefront):
    """The action page and Activity name the environments (linked), show the URLs before and after as a table, and
    keep the kind, the Celery task and the raw parameters and result under folds."""
    blue, green = storefront["blue"], storefront["green"]
    action = swap_action(user=viewer, promoted=green, standby=blue, task_id="celery-task-77")
    html = viewer_client.get(reverse("actions:detail", args=[action.pk])).content.decode()
    green_link = f'<a href="{green.get_absolute_url()}">storefront-green <code>e-green00001</code></a>'
    blue_link = f'<a href="{blue.get_absolute_url()}">storefront-blue <code>e-blue000001</code></a>'
    outcome = re.search(r'<p class="swap-outcome">.*?</p>', html, re.S).group(0)
    assert "storefront.us-east-1.elasticbeanstalk.com" in outcome and "is now served by" in outcome
    assert green_link in outcome and blue_link in outcome
    table = re.search(r'<table class="data compact swap-result">.*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr><td>(.*?)</td><td><code>(.*?)</code></td><td><code>(.*?)</code></td></tr>", table)
    assert sorted(rows) == sorted(  # jsonb keeps keys in its own order
        [
            (
                green_link,
                "storefront-green.us-east-1.elasticbeanstalk.com",
                "storefront.us-east-1.elasticbeanstalk.com",
            ),
            (blue_link, "storefront.us-east-1.elasticbeanstalk.com", "storefront-green.us-east-1.elasticbeanstalk.com"),
        ]
    )
    # The form's parameter under its label, by name; the raw JSON and internals only inside closed folds.
    assert f"<dt>Production now on</dt><dd>{blue_link}</dd>" in html
    assert f"<dt>Targets</dt><dd>{green_link}</dd>" in html
    assert '<details class="raw"><summary>Raw result</summary>' in html
    details = re.search(r'<details class="details">.*?</details>', html, re.S).group(0)
    assert "celery-task-77" in details and "beanstalk.swap" in details and "&quot;partner&quot;" in details
    outside = html.replace(details, "")
    assert "celery-task-77" not in outside and "<code>beanstalk.swap</code>" not in outside

    activity = viewer_client.get(reverse("actions:activity")).content.decode()
    row = re.search(
        rf"<tr[^>]*>\s*<td[^>]*><a href=\"{reverse('actions:detail', args=[action.pk])}\".*?</tr>", activity, re.S
    )
    assert row is not None
    cells = row.group(0)
    assert "Swap environment URLs (blue/green)" in cells and "storefront-green" in cells
    assert "storefront.us-east-1.elasticbeanstalk.com now on storefront-green" in cells
    assert "beanstalk.swap" not in cells and "called_at" not in cells


def test_the_swap_form_picks_the_partner_by_name_and_refuses_an_unknown_one(client, operator, storefront):
    """ "Production now on" is a select of the scope's live web environments, named; a worker is not offered, and an id
    that is not one of them is refused by the form with nothing recorded."""
    green = storefront["green"]
    client.force_login(operator)
    operator_client = client
    url = reverse("actions:new", args=["beanstalk.swap"])
    html = operator_client.get(url, {"target": green.environment_id}).content.decode()
    select = re.search(r'<select name="p-partner".*?</select>', html, re.S).group(0)
    assert (
        '<option value="e-blue000001">storefront-blue (storefront) · storefront.us-east-1.elasticbeanstalk.com'
        in select
    )
    assert "e-worker0001" not in select and "storefront-worker" not in select
    answer = operator_client.post(
        url,
        {"account": ACCOUNT_ID, "region": REGION, "targets": green.environment_id, "reason": "CHG-1",
         "p-partner": "e-nope000000", "idempotency_key": "k", "submit": "1"},
    )  # fmt: skip
    assert answer.status_code == 400 and "Select a valid choice" in answer.content.decode()
    assert not Action.objects.exists()
