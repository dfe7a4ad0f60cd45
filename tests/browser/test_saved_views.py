"""Saved views in the browser: filter the instance list, save it under a name pinned to the menu, then open it from
My views, at 1,440 px and on a 390 px phone, with no sideways page scroll."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fleetui.core.models import SavedView
from tests.browser.conftest import log_in
from tests.factories import AccountFactory, InstanceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = "table.data tbody tr:not(.empty)"


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def shot(page: Page, name: str) -> None:
    if target := os.environ.get("FLEETUI_SCREENSHOT_DIR"):
        page.screenshot(path=str(Path(target) / name))


def test_save_a_filtered_instance_view_pin_it_and_open_it_from_the_menu(page: Page, viewer):
    prod = AccountFactory(account_id="123456789012", name="prod")
    for i in range(12):
        InstanceFactory(account=prod, name=f"{'web' if i % 2 else 'db'}-{i:02d}", state="running")
    page.goto("/instances/")
    log_in(page, "vera", "pw-vera")
    expect(page.locator(ROWS)).to_have_count(12)

    # Filter through htmx, then save what the list shows now: the form in the results keeps the new query.
    page.fill("form.filters input[name=q]", "web")
    expect(page.locator(ROWS)).to_have_count(6)
    page.locator("#save-view summary").click()
    page.fill("#save-view input[name=name]", "Web servers")
    page.check("#save-view input[name=pinned]")
    shot(page, "saved-view-save-1440.png")
    assert no_sideways_scroll(page)
    page.locator("#save-view button[type=submit]").click()
    expect(page.locator(".msg.success")).to_have_text("Saved the view “Web servers” and pinned to your menu.")
    expect(page.locator(ROWS)).to_have_count(6)
    view = SavedView.objects.get()
    assert (view.name, view.query, view.pinned) == ("Web servers", "q=web&per_page=50", True)

    # The list's Views offers it; the menu's My views opens it from anywhere.
    page.locator("#list-views summary").click()
    expect(page.locator("#list-views .view-picks a")).to_have_text(["Web servers"])
    page.goto("/")
    page.locator("#my-views summary").click()
    shot(page, "saved-view-menu-1440.png")
    assert no_sideways_scroll(page)
    page.locator("#my-views a", has_text="Web servers").click()
    page.wait_for_url("**/instances/?q=web&per_page=50")
    expect(page.locator(ROWS)).to_have_count(6)
    expect(page.locator("#my-views a", has_text="Web servers")).to_have_attribute("aria-current", "page")
    assert no_sideways_scroll(page)

    # On a phone: the ☰ menu holds My views too, and the list with its Views and Save buttons fits the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    page.locator(".menu-toggle").click()
    page.locator("#my-views summary").click()
    expect(page.locator("#my-views a", has_text="Web servers")).to_be_visible()
    shot(page, "saved-view-menu-390.png")
    assert no_sideways_scroll(page)
    page.locator("#my-views a", has_text="Web servers").click()
    page.wait_for_url("**/instances/?q=web&per_page=50")
    expect(page.locator(ROWS)).to_have_count(6)
    page.locator("#save-view summary").click()
    expect(page.locator("#save-view input[name=name]")).to_be_visible()
    shot(page, "saved-view-list-390.png")
    assert no_sideways_scroll(page)
    box = page.locator("#save-view .popover-body").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390  # the whole form on the screen

    # The Views page: rename, pin and delete; it scrolls its tables inside their panels, never the page.
    page.goto("/views/")
    expect(page.locator("#my-saved-views tbody tr")).to_have_count(1)
    shot(page, "saved-views-page-390.png")
    assert no_sideways_scroll(page)


def test_an_admins_bar_with_my_views_still_fits_1440(page: Page, admin_user):
    """The widest bar (an admin's, with Admin's entries) gains My views and still leaves the user box its room."""
    for name in ("Prod web running", "Spot in eu-west-1", "Instance-store at risk"):
        SavedView.objects.create(user=admin_user, list_name="ec2:instance_list", name=name, query="q=x", pinned=True)
    page.goto("/views/")
    log_in(page, "ada", "pw-ada")
    expect(page.locator("#my-views summary")).to_be_visible()
    last = page.locator("#mainnav > *").last.bounding_box()
    user_box = page.locator(".userbox").bounding_box()
    assert last and user_box and last["x"] + last["width"] <= user_box["x"]
    page.locator("#my-views summary").click()
    expect(page.locator("#my-views .dropdown a")).to_have_count(4)  # and "All saved views…"
    shot(page, "saved-views-admin-1440.png")
    assert no_sideways_scroll(page)
