"""Every list fits: at 1,440×900 its default columns fit the window (no sideways scroll of the page, nor of the table
inside its panel), and at 390×844 it shows its key columns with no sideways page scroll, for each role (operators
and admins have the checkbox column). The page each list's first row links to fits at both sizes too, as the admin,
who sees the most buttons. The lists come from the URLs, so a new list is covered by itself.

FLEETUI_FIT_SCREENSHOTS=<dir> keeps a screenshot of every list at both sizes (the operator's), to look at."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import demo_fleet, log_in
from tests.browser.every_list import LONG, list_pages, rows_for_every_list
from tests.factories import AccountFactory, InstanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE, PHONE = {"width": 1440, "height": 900}, {"width": 390, "height": 844}
FITS = """() => {
  const wrap = document.querySelector('.results .table-wrap');
  return {
    page: document.documentElement.scrollWidth - window.innerWidth,
    table: wrap ? wrap.scrollWidth - wrap.clientWidth : 0,
    rows: document.querySelectorAll('table.data tbody tr:not(.empty)').length,
  };
}"""


@pytest.fixture
def every_list(db):
    demo_fleet(size=36)
    accounts = [AccountFactory(account_id="123456789012"), AccountFactory(account_id="210987654321")]
    for i, account in enumerate(accounts):
        InstanceFactory(account=account, region="eu-west-1", name=f"{LONG}-frontend-blue-{i}", state="running")
    rows_for_every_list(accounts)


def test_every_list_fits_at_1440_and_390_for_each_role(
    browser: Browser, live_server, every_list, viewer, operator, admin_user
):
    pages = list_pages()
    assert len(pages) >= 40 and "/instances/" in [path for path, _ in pages]
    shots = os.environ.get("FLEETUI_FIT_SCREENSHOTS")
    overflow: list[str] = []
    details: set[str] = set()  # the page each list's first row links to
    for username in ("vera", "otto", "ada"):
        context = browser.new_context(base_url=live_server.url, viewport=WIDE)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/login/")
        log_in(page, username, f"pw-{username}")
        page.wait_for_url(lambda url: "/login/" not in url)
        for path, _ in pages:
            page.set_viewport_size(WIDE)
            page.goto(f"{path}?per_page=25", wait_until="domcontentloaded")
            wide = page.evaluate(FITS)
            if username == "ada" and (href := page.evaluate(FIRST_ROW_PAGE)) and "?" not in href:
                details.add(href)
            assert wide["rows"] > 0, f"{path} lists nothing to measure"
            if wide["page"] > 0 or wide["table"] > 0:
                overflow.append(f"{username} 1440 {path}: page +{wide['page']} px, table +{wide['table']} px")
            if shots and username == "otto":
                page.screenshot(path=str(Path(shots) / f"{path.strip('/').replace('/', '_') or 'home'}-1440.png"))
            page.set_viewport_size(PHONE)
            phone = page.evaluate(FITS)
            if phone["page"] > 0 or phone["table"] > 0:
                overflow.append(f"{username} 390 {path}: page +{phone['page']} px, table +{phone['table']} px")
            if shots and username == "otto":
                page.screenshot(path=str(Path(shots) / f"{path.strip('/').replace('/', '_') or 'home'}-390.png"))
        if username == "ada":  # the admin sees the most buttons: each list's first row's own page fits too
            overflow += _details_overflow(page, details)
        context.close()
    assert overflow == [], "\n".join(overflow)


FIRST_ROW_PAGE = """() => {
  const link = document.querySelector('.results table.data tbody tr:not(.empty) td a[href^="/"]');
  return link ? link.getAttribute('href') : null;
}"""


def _details_overflow(page, details: set[str]) -> list[str]:
    """The detail pages the lists' first rows link to, at 1,440 and 390 px: where each scrolls sideways. A first link
    that names a related row the generated data does not hold (a 404) is not measured; a 5xx is a failure."""
    overflow, measured = [], 0
    for href in sorted(details):
        page.set_viewport_size(WIDE)
        answer = page.goto(href, wait_until="domcontentloaded")
        if answer.status >= 500:
            overflow.append(f"ada {href}: answered {answer.status}")
        if not answer.ok:
            continue
        measured += 1
        for size, name in ((WIDE, "1440"), (PHONE, "390")):
            page.set_viewport_size(size)
            if (wider := page.evaluate("document.documentElement.scrollWidth - window.innerWidth")) > 0:
                overflow.append(f"ada {name} {href}: page +{wider} px")
    assert measured >= 15, f"only {measured} of {len(details)} detail pages opened"
    return overflow
