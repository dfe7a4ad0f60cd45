"""Shared fixtures: a session-scoped moto server (reset between tests), users with each role."""

import os
from collections.abc import Iterator

import boto3
import pytest
import requests
from django.test import Client

from fleetui.core.roles import Role, user_set_role


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """moto's real server with fleetui's extensions, on a free port of 127.0.0.1. Yields its URL."""
    from fleetui.sandbox.server import client_env, start_server

    server, url = start_server(port=0)
    env = client_env(url)
    saved = {k: os.environ.get(k) for k in [*env, "AWS_PROFILE"]}
    os.environ.update(env)
    os.environ.pop("AWS_PROFILE", None)
    yield url
    server.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture
def aws(moto_server: str) -> Iterator[str]:
    """A clean sandbox for one test: everything moto holds is reset before and after it.

    fleetui.aws's cached sessions are dropped too: a reset forgets the keys moto gave to assumed roles.
    """
    from fleetui.aws import clients_clear

    requests.post(f"{moto_server}/moto-api/reset", timeout=30)
    clients_clear()
    yield moto_server
    requests.post(f"{moto_server}/moto-api/reset", timeout=30)
    clients_clear()


@pytest.fixture
def ec2(aws: str):
    return boto3.client("ec2", region_name="us-east-1", endpoint_url=aws)


def _user(django_user_model, username: str, role: Role | None):
    user = django_user_model.objects.create_user(username=username, password="pw-" + username)
    user_set_role(user=user, role=role)
    return user


@pytest.fixture
def viewer(db, django_user_model):
    return _user(django_user_model, "vera", Role.VIEWER)


@pytest.fixture
def operator(db, django_user_model):
    return _user(django_user_model, "otto", Role.OPERATOR)


@pytest.fixture
def admin_user(db, django_user_model):
    return _user(django_user_model, "ada", Role.ADMIN)


@pytest.fixture
def no_role_user(db, django_user_model):
    return _user(django_user_model, "nora", None)


@pytest.fixture
def viewer_client(viewer) -> Client:
    client = Client()
    client.force_login(viewer)
    return client


@pytest.fixture
def admin_client_(admin_user) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client
