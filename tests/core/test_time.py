"""Times people read: ages in human units, a per-user time zone that pages and the CSV honour, exact or relative."""

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from fleetui.core.humanize import relative
from fleetui.core.models import Preference
from tests.factories import ImageFactory

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
CREATED = dt.datetime(2026, 7, 1, 6, 30, tzinfo=dt.UTC)  # 06:30 UTC is 08:30 in Paris (summer time)


@pytest.mark.parametrize(
    ("ago", "text"),
    [
        (dt.timedelta(seconds=10), "just now"),
        (dt.timedelta(minutes=2), "2 min ago"),
        (dt.timedelta(hours=3), "3 h ago"),
        (dt.timedelta(days=1, hours=12), "1 day ago"),
        (dt.timedelta(days=45), "45 days ago"),
        (dt.timedelta(days=95), "3 months ago"),
        (dt.timedelta(days=400), "1 year ago"),
        (dt.timedelta(days=2299), "6 years ago"),  # not "2299 days ago"
        (-dt.timedelta(days=800), "in 2 years"),
    ],
)
def test_ages_read_in_human_units(ago, text):
    assert relative(NOW - ago, now=NOW) == text


@pytest.fixture
def image(db):
    return ImageFactory(image_id="ami-0aaa", name="golden", creation_date=CREATED)


def _csv_created(client) -> str:
    answer = client.get(reverse("ec2:image_list"), {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode())))
    return rows[0]["creation_date"]


def test_utc_by_default_on_pages_and_in_the_csv(viewer_client, image):
    html = viewer_client.get(reverse("ec2:image_list")).content.decode()
    assert 'title="2026-07-01 06:30:00 UTC"' in html
    assert '<span class="tz" title="Times show in UTC">UTC</span>' in html
    assert _csv_created(viewer_client) == "2026-07-01T06:30:00+00:00"


def test_a_users_time_zone_is_kept_and_every_page_and_the_csv_honour_it(viewer, viewer_client, image):
    page = viewer_client.get(reverse("core:preferences"))
    assert page.status_code == 200 and '<option value="Europe/Paris">Europe/Paris</option>' in page.content.decode()
    back = reverse("ec2:image_list") + "?q=golden"
    saved = viewer_client.post(
        reverse("core:preferences"), {"time_zone": "Europe/Paris", "times": "absolute", "theme": "auto", "next": back}
    )
    assert saved.status_code == 302 and saved["Location"] == back
    assert Preference.objects.get(user=viewer).time_zone == "Europe/Paris"

    html = viewer_client.get(back).content.decode()
    # Exact times shown (the preference), in Paris time, with the relative time on hover.
    assert '<time datetime="2026-07-01T06:30:00+00:00" title="' in html
    assert ">2026-07-01 08:30:00 CEST</time>" in html
    assert _csv_created(viewer_client) == "2026-07-01T08:30:00+02:00"

    # Another browser: the preference is the user's, read at sign-in.
    other = Client()
    other.force_login(viewer)
    assert ">2026-07-01 08:30:00 CEST</time>" in other.get(back).content.decode()


def test_a_bad_time_zone_is_refused_with_the_reason_and_nothing_is_saved(viewer, viewer_client):
    answer = viewer_client.post(reverse("core:preferences"), {"time_zone": "Mars/Olympus", "times": "relative",
                                                              "theme": "auto"})  # fmt: skip
    assert answer.status_code == 400
    assert "Mars/Olympus is not a time zone fleetui knows" in answer.content.decode()
    assert not Preference.objects.filter(user=viewer).exists()


def test_the_top_bar_links_to_the_preferences(viewer_client, image):
    html = viewer_client.get(reverse("ec2:image_list")).content.decode()
    assert f'href="{reverse("core:preferences")}?next=/images/"' in html
