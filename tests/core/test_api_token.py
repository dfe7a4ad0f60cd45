"""`manage.py api_token`: prints a working token for users with a role, and refuses everyone else."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.authtoken.models import Token


def api_token(*args: str) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue().strip()


def test_create_prints_a_token_that_the_api_accepts(viewer):
    key = api_token("vera", "--create")
    assert key == Token.objects.get(user=viewer).key
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/ec2/instances/").status_code == 200


def test_prints_the_existing_token_without_making_a_new_one(viewer):
    first = api_token("vera", "--create")
    assert api_token("vera") == first
    assert api_token("vera", "--create") == first
    assert Token.objects.filter(user=viewer).count() == 1


def test_without_create_a_missing_token_is_an_error(viewer):
    with pytest.raises(CommandError, match="no API token yet; run again with --create"):
        api_token("vera")
    assert not Token.objects.filter(user=viewer).exists()


def test_rotate_replaces_the_token(viewer):
    old = api_token("vera", "--create")
    new = api_token("vera", "--rotate")
    assert new != old
    assert Client(HTTP_AUTHORIZATION=f"Token {old}").get("/api/v1/accounts/").status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Token {new}").get("/api/v1/accounts/").status_code == 200


def test_refuses_a_user_without_a_role(no_role_user):
    with pytest.raises(CommandError, match="has no role"):
        api_token("nora", "--create")
    assert not Token.objects.exists()


def test_refuses_inactive_and_unknown_users(viewer):
    viewer.is_active = False
    viewer.save()
    with pytest.raises(CommandError, match="inactive"):
        api_token("vera", "--create")
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        api_token("ghost", "--create")


def test_help_documents_the_usage(capsys):
    with pytest.raises(SystemExit):
        call_command("api_token", "--help")
    text = capsys.readouterr().out
    assert "--create" in text
    assert 'curl -H "Authorization: Token $TOKEN"' in text
