import pytest
from django.urls import reverse

from fleetui.core.roles import Role, has_role, user_role


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
