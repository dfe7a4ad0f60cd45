"""Saved views (fleetui.core.savedviews): save a list's query under a name, pin it to your menu, share it; the stable
link `/views/<id>/` redirects to the list with the query; only the owner changes a view, an admin may delete any."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fleetui.core import menu
from fleetui.core.models import SavedView
from fleetui.core.savedviews import saved_list

INSTANCES = reverse("ec2:instance_list")
SAVE = reverse("core:saved_view_save")
pytestmark = pytest.mark.django_db


def save(client: Client, name: str = "Running web", query: str = "state=running", **extra):
    return client.post(SAVE, {"list": "ec2:instance_list", "query": query, "name": name, **extra})


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_viewer_saves_the_lists_query_without_its_page_and_the_link_opens_it(viewer_client, viewer):
    query = "state=running&sort=-launch_time&page=3&per_page=50&columns=name,state&export=csv&q=&nonsense=1"
    answer = save(viewer_client, query=query, pinned="on")
    kept = "state=running&sort=-launch_time&per_page=50&columns=name,state&nonsense=1"
    assert answer.status_code == 302 and answer["Location"] == f"{INSTANCES}?{kept}"
    view = SavedView.objects.get()
    assert (view.user, view.list_name, view.name, view.query) == (viewer, "ec2:instance_list", "Running web", kept)
    assert (view.pinned, view.shared) == (True, False)
    opened = viewer_client.get(reverse("core:saved_view_open", args=[view.pk]))
    assert opened.status_code == 302 and opened["Location"] == f"{INSTANCES}?{kept}"
    followed = viewer_client.get(opened["Location"])
    assert followed.status_code == 200 and "Saved the view “Running web” and pinned to your menu." in text(followed)


def text(answer) -> str:
    return answer.content.decode()


def test_the_list_offers_its_views_mine_then_shared_and_saves_what_it_shows(viewer_client, viewer, operator):
    SavedView.objects.create(user=viewer, list_name="ec2:instance_list", name="zeta mine", query="state=stopped")
    SavedView.objects.create(user=operator, list_name="ec2:instance_list", name="alpha shared", shared=True)
    SavedView.objects.create(user=operator, list_name="ec2:instance_list", name="otto private")
    SavedView.objects.create(user=viewer, list_name="ec2:image_list", name="other list")
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):  # the page and the htmx fragment the filters swap in
        page = viewer_client.get(INSTANCES, {"state": "running", "page": "1", "q": ""}, **headers)
        assert [view.name for view in page.context["list_views"]] == ["zeta mine", "alpha shared"]
        html = text(page)
        assert "shared by otto" in html and "otto private" not in html and "other list" not in html
        assert 'name="query" value="state=running"' in html and 'name="list" value="ec2:instance_list"' in html


def test_another_user_opens_a_shared_view_but_not_a_private_one(viewer, operator, no_role_user):
    private = SavedView.objects.create(user=viewer, list_name="ec2:instance_list", name="mine", query="state=running")
    shared = SavedView.objects.create(user=viewer, list_name="ec2:instance_list", name="ours", query="family=m5",
                                      shared=True)  # fmt: skip
    otto = client_of(operator)
    assert otto.get(reverse("core:saved_view_open", args=[private.pk])).status_code == 404
    assert otto.get(reverse("core:saved_view_open", args=[shared.pk]))["Location"] == f"{INSTANCES}?family=m5"
    assert otto.get(reverse("core:saved_view_open", args=[999999])).status_code == 404
    assert client_of(no_role_user).get(reverse("core:saved_view_open", args=[shared.pk])).status_code == 403
    assert Client().get(reverse("core:saved_view_open", args=[shared.pk]))["Location"].startswith("/login/")
    views_page = text(otto.get(reverse("core:saved_views")))
    assert "ours" in views_page and "mine" not in views_page


def my_views(html: str) -> list[tuple[str, str]]:
    """(href, name) of the menu's My views dropdown."""
    found = re.search(r'<details class="navgroup[^"]*" id="my-views"><summary>My views</summary>(.*?)</details>', html,
                      re.S)  # fmt: skip
    return re.findall(r'<a href="([^"]+)" [^>]*>([^<]+?) <small', found.group(1)) if found else []


def test_pinned_views_are_the_owners_menu_under_my_views(viewer, operator):
    pinned = SavedView.objects.create(user=viewer, list_name="ec2:instance_list", name="Prod running",
                                      query="state=running", pinned=True)  # fmt: skip
    SavedView.objects.create(user=viewer, list_name="ec2:instance_list", name="Not pinned")
    SavedView.objects.create(user=operator, list_name="ec2:instance_list", name="Otto pin", pinned=True, shared=True)
    viewer_client = client_of(viewer)  # pins are read into the session at login (and after each change of one's own)
    with CaptureQueriesContext(connection) as queries:
        home = text(viewer_client.get("/"))
    assert not any("core_savedview" in query["sql"] for query in queries.captured_queries)  # the menu costs no query
    assert my_views(home) == [(f"/views/{pinned.pk}/", "Prod running")]
    assert '<small class="hint">Instances</small>' in home and '<a href="/views/" >All saved views…</a>' in home
    # My views closes the services, before Audit; on a phone the same menu folds behind ☰ (tests/browser).
    assert home.index('id="my-views"') < home.index("<summary>Audit</summary>")
    shown = text(viewer_client.get(INSTANCES, {"state": "running"}))
    assert f'<a href="/views/{pinned.pk}/" aria-current="page">Prod running' in shown
    theirs = text(client_of(operator).get("/"))
    assert [name for _, name in my_views(theirs)] == ["Otto pin"]  # pins are their owner's alone
    assert viewer_client.post(reverse("core:saved_view_pin", args=[pinned.pk]), {"pinned": "0"}).status_code == 302
    assert my_views(text(viewer_client.get("/"))) == []  # an unpin leaves this session's menu at once


def test_a_name_is_required_short_and_unique_per_user_and_list(viewer_client, viewer, operator):
    assert save(viewer_client).status_code == 302
    for name, reason in [
        ("", "Give the view a name."),
        ("  ", "Give the view a name."),
        ("x" * 61, "At most 60 characters (this one has 61)."),
        ("running WEB", "You already have a view called “running WEB” on this list"),
    ]:
        answer = save(viewer_client, name=name, query="state=stopped&page=2", pinned="on", shared="on")
        html = text(answer)
        assert answer.status_code == 400 and reason in html
        assert '<label for="id_name">Name</label>' in html  # the field as the user sees it
        assert 'name="query" value="state=stopped"' in html and 'id="id_pinned" checked' in html
        if name.strip():
            assert f'value="{name}"' in html  # what was typed stays
    assert SavedView.objects.count() == 1
    assert save(viewer_client, query="x=1", **{"list": "ec2:image_list"}).status_code == 302  # another list
    assert save(client_of(operator)).status_code == 302  # another user
    assert SavedView.objects.count() == 3


def test_a_save_names_a_list_that_exists_and_keeps_unknown_filters_for_the_list_to_refuse(viewer_client):
    for bad in ("", "ec2:nothing", "core:preferences"):  # no such page, or a page that is not a list
        assert viewer_client.post(SAVE, {"list": bad, "name": "x"}).status_code == 400
    assert not SavedView.objects.exists()
    assert save(viewer_client, query="lifecycle=sometimes").status_code == 302
    listed = viewer_client.get(viewer_client.get(f"/views/{SavedView.objects.get().pk}/")["Location"])
    assert listed.status_code == 400 and 'id="filter-errors"' in text(listed)
    assert save(viewer_client, name="long", query="q=" + "x" * 2100).status_code == 400


def test_only_the_owner_renames_pins_and_shares_and_an_admin_deletes_any(viewer_client, viewer, operator, admin_user):
    view = SavedView.objects.create(user=viewer, list_name="ec2:instance_list", name="web", shared=True)
    other = SavedView.objects.create(user=viewer, list_name="ec2:instance_list", name="db")
    edit, pin, delete = (reverse(f"core:saved_view_{what}", args=[view.pk]) for what in ("edit", "pin", "delete"))
    otto = client_of(operator)
    assert otto.get(edit).status_code == 403 and otto.post(pin, {"pinned": "1"}).status_code == 403
    assert otto.post(delete).status_code == 403
    assert otto.post(reverse("core:saved_view_delete", args=[other.pk])).status_code == 404  # private: not even seen
    refused = viewer_client.post(edit, {"name": "DB", "pinned": "on"})
    assert refused.status_code == 400 and "You already have a view called “DB”" in text(refused)
    assert viewer_client.post(edit, {"name": "web servers", "pinned": "on"}).status_code == 302
    view.refresh_from_db()
    assert (view.name, view.pinned, view.shared) == ("web servers", True, False)  # unticked: no longer shared
    assert viewer_client.post(pin, {"pinned": "0"}).status_code == 302
    view.refresh_from_db()
    assert not view.pinned
    admin = client_of(admin_user)
    assert admin.get(edit).status_code == 403  # an admin deletes, never rewrites, someone's view
    admin_page = text(admin.get(reverse("core:saved_views")))
    assert "web servers" in admin_page and "db" in admin_page  # private ones too, to delete them
    assert admin.post(reverse("core:saved_view_delete", args=[other.pk])).status_code == 302
    assert viewer_client.post(delete).status_code == 302
    assert not SavedView.objects.exists()


def test_every_change_needs_the_csrf_token(viewer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(viewer)
    assert save(client).status_code == 403
    view = SavedView.objects.create(user=viewer, list_name="ec2:instance_list", name="web")
    for what in ("pin", "delete", "edit"):
        assert client.post(reverse(f"core:saved_view_{what}", args=[view.pk]), {"name": "x"}).status_code == 403
    assert client.get(SAVE).status_code == 405  # saving is a POST
    assert SavedView.objects.get().name == "web"


def test_a_list_the_role_may_not_see_is_refused_and_left_out_of_the_menu(settings, viewer_client, viewer, admin_user):
    settings.ROOT_URLCONF = "tests.core.urls_admin_only_list"
    refused = viewer_client.post(SAVE, {"list": "admins_runs", "name": "runs"})
    assert refused.status_code == 403 and not SavedView.objects.exists()
    theirs = SavedView.objects.create(user=admin_user, list_name="admins_runs", name="failed", shared=True)
    mine = SavedView.objects.create(user=viewer, list_name="admins_runs", name="old pin", pinned=True)  # role since
    assert viewer_client.get(reverse("core:saved_view_open", args=[theirs.pk])).status_code == 403
    assert "old pin" not in text(client_of(viewer).get("/")) and "failed" not in text(viewer_client.get("/views/"))
    assert client_of(admin_user).get(reverse("core:saved_view_open", args=[mine.pk])).status_code == 404
    assert client_of(admin_user).get(reverse("core:saved_view_open", args=[theirs.pk]))["Location"] == "/admins-runs/"


def test_the_views_page_narrows_to_one_list(viewer_client, viewer):
    SavedView.objects.create(user=viewer, list_name="ec2:instance_list", name="instances one")
    SavedView.objects.create(user=viewer, list_name="ec2:image_list", name="images one", query="q=web&sort=-name&x=1")
    page = text(viewer_client.get(reverse("core:saved_views"), {"list": "ec2:image_list"}))
    assert "images one" in page and "instances one" not in page and "Saved views of AMIs" in page
    assert "Search: web · Sort: -name · x: 1" in page  # the filters as the list labels them; unknown ones as saved


def test_a_feed_marked_as_a_list_saves_views_too(viewer_client, viewer):
    """The Changes feed is a view of its own (not a ResourceListView), marked with @saved_views_list."""
    changes = reverse("inventory:changes")
    page = text(viewer_client.get(changes, {"actor": "outside", "page": "2"}))
    assert 'name="list" value="inventory:changes"' in page and 'name="query" value="actor=outside"' in page
    answer = viewer_client.post(SAVE, {"list": "inventory:changes", "query": "actor=outside", "name": "By hand"})
    assert answer.status_code == 302 and answer["Location"] == f"{changes}?actor=outside"
    listed = text(viewer_client.get(reverse("core:saved_views")))
    assert "By hand" in listed and "Changes" in listed


def test_every_list_in_the_menu_offers_views_with_nothing_declared(viewer_client):
    """Every ResourceListView, whichever app declares it, gets Views and Save view… with its own URL name."""
    lists = [(entry.url_name, entry.url) for entry in menu.MENU if saved_list(entry.url_name)]
    assert len(lists) >= 10
    for url_name, url in lists:
        page = text(viewer_client.get(url))
        assert 'id="save-view"' in page and f'name="list" value="{url_name}"' in page, url_name


def test_a_name_saved_meanwhile_is_refused_by_the_database_not_a_500(viewer_client, monkeypatch):
    """Two tabs saving one name at once both pass the form's check; the unique constraint refuses the second."""
    from fleetui.core.views_savedviews import SavedViewForm

    monkeypatch.setattr(SavedViewForm, "clean_name", lambda form: form.cleaned_data["name"])
    assert save(viewer_client, name="web").status_code == 302
    second = save(viewer_client, name="WEB")
    assert second.status_code == 400 and "You already have a view called “WEB” on this list" in text(second)
    assert SavedView.objects.count() == 1
