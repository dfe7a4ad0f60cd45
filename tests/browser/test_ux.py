"""What an ops engineer expects of the page itself, under the Content-Security-Policy (no inline script): "/" to
search, a select-all box and an "N selected" count, a refused bulk stop that keeps the selection and names the rows
by region, a sticky table header, and a dark mode that follows the system with a remembered toggle."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import log_in
from tests.factories import AccountFactory, InstanceFactory, SecurityGroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = "table.data tbody tr:not(.empty)"
BOXES = 'input[name=target][form="bulk-form"]'


@pytest.fixture
def two_regions(db):
    prod = AccountFactory(account_id="123456789012", name="prod")
    for i in range(30):
        region = "us-east-1" if i % 3 else "eu-west-1"
        InstanceFactory(account=prod, region=region, name=f"web-{i:02d}", state="running")
    SecurityGroupFactory(account=prod, group_name="ssh-open", world_open=True)


@pytest.fixture
def dark_page(browser: Browser, live_server):
    """A browser whose system asks for dark colours, and the CSP violations and script errors it reports."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1440, "height": 900}, color_scheme="dark"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


def background(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_search_selection_refusal_sticky_header_and_dark_mode(dark_page: Page, operator, two_regions):
    page = dark_page
    page.goto("/instances/?per_page=50&sort=name")
    log_in(page, "otto", "pw-otto")
    expect(page.locator(ROWS)).to_have_count(30)

    # Dark by default: the system asks for it and the user chose nothing.
    assert background(page) == "rgb(15, 27, 42)"

    # "/" focuses the search box; typing filters through htmx (which runs under the CSP).
    page.locator("h1").click()
    page.keyboard.press("/")
    expect(page.locator("form.filters input[name=q]")).to_be_focused()
    page.keyboard.type("web-0")
    expect(page.locator(ROWS)).to_have_count(10)
    page.fill("form.filters input[name=q]", "")
    expect(page.locator(ROWS)).to_have_count(30)

    # Select all on the page, then none; the bar counts.
    page.check("input.select-all")
    expect(page.locator(f"{BOXES}:checked")).to_have_count(30)
    expect(page.locator(".selected-count")).to_have_text("30 selected")
    page.uncheck("input.select-all")
    expect(page.locator(".selected-count")).to_have_text("0 selected")

    # web-00 is in eu-west-1, web-01 and web-02 in us-east-1: the stop is refused, the rows stay checked.
    for name in ("web-00", "web-01", "web-02"):
        page.locator(ROWS, has_text=name).locator(BOXES).check()
    expect(page.locator(".selected-count")).to_have_text("3 selected")
    expect(page.locator("input.select-all")).to_have_js_property("indeterminate", True)
    page.select_option("#bulk-form select[name=kind]", "ec2.stop")
    page.click("#bulk-form button[value=checked]")
    expect(page.locator(".msg.error")).to_contain_text("web-00 (")
    expect(page.locator(".msg.error")).to_contain_text("in prod (123456789012) eu-west-1")
    expect(page.locator(f"{BOXES}:checked")).to_have_count(3)
    expect(page.locator(".selected-count")).to_have_text("3 selected")

    # The header row stays in view when the rows scroll.
    page.locator(".results .table-wrap").evaluate("wrap => wrap.scrollTop = 600")
    wrap, header = page.locator(".results .table-wrap").bounding_box(), page.locator("table.data thead th").nth(1)
    assert abs(header.bounding_box()["y"] - wrap["y"]) <= 2

    # The toggle switches to light and is remembered for the user.
    page.click(".theme-toggle button")
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    assert background(page) == "rgb(242, 244, 247)"
    page.goto("/security-groups/")
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    expect(page.locator(".badge.sev-critical").first).to_be_visible()
    # The API's docs page runs Swagger UI from static files too.
    page.goto("/api/v1/docs/")
    # Swagger UI draws once the schema of every operation is generated: seconds on a loaded machine.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("fleetui", timeout=30_000)
    assert page.problems == []
