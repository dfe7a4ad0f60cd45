import re
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fleetui.core.roles import Role, has_role, user_role
from tests.factories import AccountFactory


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("inventory:overview"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_is_denied(client, no_role_user):
    client.force_login(no_role_user)
    assert client.get(reverse("inventory:overview")).status_code == 403


def test_a_viewer_can_read(viewer_client):
    assert viewer_client.get(reverse("inventory:overview")).status_code == 200


def test_roles_are_ordered(viewer, operator, admin_user):
    assert user_role(viewer) == Role.VIEWER
    assert has_role(operator, Role.VIEWER) and not has_role(operator, Role.ADMIN)
    assert has_role(admin_user, Role.ADMIN) and admin_user.is_staff


def url_patterns(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    """Every URL pattern under the root URLconf, with its full namespace ("inventory", "api")."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace or ""]))
            yield from url_patterns(entry, inner)
        else:
            yield namespace, entry


# Dummy values for every capture the patterns use; a new capture name fails loudly with a KeyError here.
DUMMY = {
    "pk": "1",
    "name": "t3.micro",
    "account_id": "123456789012",
    "region": "us-east-1",
    "instance_id": "i-0123456789abcdef0",
    "kind": "ec2.stop",
    "application": "storefront",
    "environment_id": "e-abc123defg",
    "cluster_name": "shop-prod",
    "service_name": "web",
}


def url_for(namespace: str, pattern: URLPattern) -> str:
    assert pattern.name, f"name the URL pattern {pattern.pattern} so the role tests can reach it"
    captures = list(pattern.pattern.regex.groupindex)
    kwargs = {name: "json" if name == "format" else DUMMY[name] for name in captures}
    return reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)


def guarded_urls(namespace: str) -> list[str]:
    return sorted({url_for(ns, pattern) for ns, pattern in url_patterns() if ns == namespace})


# Every app's pages: whatever namespaces the URLconf has, but the API's and the sandbox's (tested below) and admin's.
PAGES = sorted(
    url
    for namespace in {ns for ns, _ in url_patterns()} - {"", "api", "sandbox", "admin"}
    for url in guarded_urls(namespace)
)
API = guarded_urls("api")
SANDBOX = guarded_urls("sandbox")


def test_the_walk_finds_every_page_and_api_route():
    """The parametrized tests below cover what the URLconf really has, not a hand-kept list."""
    assert reverse("inventory:account_disable", args=[1]) in PAGES
    assert reverse("ec2:instance_detail", args=["123456789012", "us-east-1", "i-0123456789abcdef0"]) in PAGES
    assert {reverse("beanstalk:environment_list"), "/beanstalk/123456789012/us-east-1/storefront/"} <= set(PAGES)
    assert {"/api/v1/", "/api/v1/docs/", "/api/v1/schema/", "/api/v1/ec2/instances/1/", "/api/v1/accounts.json"} <= set(
        API
    )
    assert len(PAGES) >= 15 and len(API) >= 40
    assert all(url.startswith("/api/v1/") for url in API)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", PAGES)
def test_every_page_needs_a_login_then_a_role(client, no_role_user, url, method):
    """A view that forgets its role (or is marked login-free by mistake) fails here."""
    anonymous = getattr(client, method)(url)
    assert anonymous.status_code == 302
    location = urlsplit(anonymous["Location"])
    assert (location.path, parse_qs(location.query)) == (reverse("login"), {"next": [url]})
    client.force_login(no_role_user)
    assert getattr(client, method)(url).status_code == 403


# What an admin gets from each sandbox URL with no sandbox configured: the page, 503 for a fault it cannot set,
# 405 for GET on a POST-only URL, and the redirect back after "remove all".
SANDBOX_ADMIN_STATUS = {
    ("/sandbox/faults/", "get"): 200,
    ("/sandbox/faults/", "post"): 503,
    ("/sandbox/faults/remove-all/", "get"): 405,
    ("/sandbox/faults/remove-all/", "post"): 302,
}


def test_the_walk_finds_the_sandbox_pages():
    assert {url for url, _ in SANDBOX_ADMIN_STATUS} == set(SANDBOX)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", SANDBOX)
def test_sandbox_pages_are_for_admins_only(
    client, no_role_user, viewer, operator, admin_user, url, method, monkeypatch
):
    """Fault injection changes what every user of the demo sees: only admins reach it."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)  # no sandbox: nothing leaves the test process
    anonymous = getattr(client, method)(url)
    assert anonymous.status_code == 302
    location = urlsplit(anonymous["Location"])
    assert (location.path, parse_qs(location.query)) == (reverse("login"), {"next": [url]})
    for user in (no_role_user, viewer, operator):
        client.force_login(user)
        assert getattr(client, method)(url).status_code == 403, user.username
    client.force_login(admin_user)
    assert getattr(client, method)(url).status_code == SANDBOX_ADMIN_STATUS[(url, method)]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", API)
def test_every_api_route_needs_credentials_then_a_role(client, no_role_user, url, method):
    assert getattr(client, method)(url).status_code == 401
    client.force_login(no_role_user)
    assert getattr(client, method)(url).status_code == 403


def csrf_token_on(page: HttpResponse) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)


def test_a_post_without_the_csrf_token_is_refused(admin_user):
    """Disabling an account changes what is synced: a forged cross-site POST must not do it."""
    account = AccountFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    url = reverse("inventory:account_disable", args=[account.pk])

    assert client.post(url).status_code == 403
    account.refresh_from_db()
    assert account.enabled

    token = csrf_token_on(client.get(reverse("inventory:account_list")))
    done = client.post(url, {"csrfmiddlewaretoken": token})
    assert done.status_code == 302 and done["Location"] == reverse("inventory:account_list")
    account.refresh_from_db()
    assert not account.enabled


ROLE_CLIENTS = {Role.VIEWER: "viewer", Role.OPERATOR: "operator", Role.ADMIN: "admin_user"}


def needed_role(url: str) -> Role:
    """The role a POST to `url` needs: the view's declared role, or for a new action the kind's role."""
    from django.urls import resolve

    from fleetui.actions.registry import OPERATIONS

    match = resolve(url)
    declared = getattr(match.func, "required_role", Role.VIEWER)
    if match.view_name == "actions:new":
        return max(declared, OPERATIONS[match.kwargs["kind"]].role)
    return declared


def action_pages() -> list[str]:
    """Every page URL, with actions:new once per registered kind (each kind has its own role)."""
    from fleetui.actions.registry import OPERATIONS

    kinds = [reverse("actions:new", args=[kind]) for kind in sorted(OPERATIONS)]
    return sorted({*PAGES, *kinds, *SANDBOX})


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_post_endpoint_answers_each_role_by_its_rule(role, request, client):
    """POST to every page as a viewer, an operator and an admin: below the page's role it is 403, at or above it
    the view runs (it may still refuse the empty form with 400, or 302/404/405, but never with a role's 403)."""
    client.force_login(request.getfixturevalue(ROLE_CLIENTS[role]))
    wrong = []
    for url in action_pages():
        status = client.post(url).status_code
        allowed = role >= needed_role(url)
        if (status == 403) == allowed:
            wrong.append((url, status, "allowed" if allowed else "denied"))
    assert not wrong


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_every_api_write_answers_each_role_by_its_rule(role, request, client):
    """The API's writes: requesting and cancelling actions need an operator (and the kind's role, see
    tests/actions/test_views.py); every other route is read-only (405 to a POST)."""
    client.force_login(request.getfixturevalue(ROLE_CLIENTS[role]))
    for url in API:
        status = client.post(url, {}, content_type="application/json").status_code
        if re.fullmatch(r"/api/v1/actions(/|\.json)|/api/v1/actions/1/cancel(/|\.json)", url):
            assert (status == 403) == (role < Role.OPERATOR), (url, status)
        else:  # the inventory is read-only, and an action record is never edited or deleted
            assert status == 405, (url, status)
