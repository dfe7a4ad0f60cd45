"""Shared fixtures: a session-scoped moto server (reset between tests), users with each role; xdist's groups."""

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import boto3
import botocore.loaders
import pytest
import requests
from django.test import Client

from fleetui.core.roles import Role, user_set_role

T = TypeVar("T")

# `make test` runs `pytest -n 4 --dist loadgroup`: the xdist workers take the tests one at a time, except each group
# below, which one worker runs whole and in order, as a run without xdist does. (xdist's own `xdist_group` mark
# stopped grouping with pytest 9.2, pytest-xdist#1386; a mark that works again still groups.)
XDIST_GROUPS = (
    "tests/browser/",  # one chromium and Playwright loop for the package (its fixtures), not between other tests
    "tests/sandbox/test_seed.py",  # seeds its fleet once for the module; its reseeding test comes last
    # Modules whose read-only tests share one seeded, synced fleet (rows_for_module): made once, on one worker.
    "tests/ecs/test_views.py",
    "tests/ecs/test_api.py",
    "tests/eks/test_views.py",
    "tests/eks/test_api.py",
    "tests/emr/test_views.py",
    "tests/batch/test_views.py",
    "tests/batch/test_api.py",
    "tests/test_schemathesis.py",  # two rows of every model, made once for the module's ~95 tests
    "tests/ec2/test_overview_numbers.py",
    "tests/ec2/operations/test_launch_form.py",
    "tests/ec2/test_cost_store.py",
)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class PathGroupScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return next((group for group in XDIST_GROUPS if nodeid.startswith(group)), super()._split_scope(nodeid))

    return PathGroupScheduling(config, log)


@pytest.fixture(scope="session", autouse=True)
def botocore_models_shared() -> Iterator[None]:
    """Every botocore session of this process shares one cache of parsed models (as a session's clients do).

    Tests drop fleetui's sessions after every moto reset (`clients_clear`), and each new session parsed EC2's
    multi-megabyte JSON model again: ~0.2 s of CPU per client. The files and the answers are the same.
    """
    shared: dict[tuple[str, ...], dict] = {}
    original = botocore.loaders.Loader.__init__

    def init(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        self._cache = shared.setdefault(tuple(self.search_paths), {})

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(botocore.loaders.Loader, "__init__", init)
        yield


KEPT_BY_FLUSH = ("django_content_type", "auth_permission")  # what `flush`'s post_migrate makes again


def _kept_fingerprint(connection) -> tuple:
    with connection.cursor() as cursor:
        return tuple(
            cursor.execute(f'SELECT count(*), max(id) FROM "{table}"').fetchone()  # noqa: S608  our own names
            for table in KEPT_BY_FLUSH
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> Iterator[None]:
    """pytest-django's test database, and a fast end for a `transaction=True` test on PostgreSQL.

    Django ends such a test with `flush`: one TRUNCATE of every table, then post_migrate makes the content types
    and permissions again. On PostgreSQL a TRUNCATE gives each table and index a new file: 3 s for our ~45 small
    tables on a busy machine, a third of the whole suite's time. A DELETE of every row leaves the same empty tables
    in 0.1 s (Django's foreign keys are DEFERRABLE INITIALLY DEFERRED, so the order does not matter), and the
    content types and permissions that post_migrate would make again are kept as migrate made them. After a test
    that changed those two tables (a migration test), Django's own flush runs instead.
    """
    from django.db import connections, transaction
    from django.test import TransactionTestCase

    with django_db_blocker.unblock():
        made_by_migrate = {
            alias: _kept_fingerprint(connections[alias])
            for alias in connections
            if connections[alias].vendor == "postgresql"
        }
    original = TransactionTestCase._fixture_teardown

    def fixture_teardown(self) -> None:
        names = self._databases_names(include_mirrors=False)
        plain = self.available_apps is None and not self.serialized_rollback and not self.reset_sequences
        if not plain or any(name not in made_by_migrate for name in names):
            return original(self)
        if any(_kept_fingerprint(connections[name]) != made_by_migrate[name] for name in names):
            original(self)
            made_by_migrate.update({name: _kept_fingerprint(connections[name]) for name in names})
            return None
        for name in names:
            connection = connections[name]
            tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
            with transaction.atomic(using=name), connection.cursor() as cursor:
                for table in sorted(set(tables) - set(KEPT_BY_FLUSH)):
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608  Django's tables
        return None

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", fixture_teardown)
        yield


@pytest.fixture(scope="session")
def moto_amis_few(tmp_path_factory) -> Iterator[None]:
    """moto's 44 general AMIs (amis.json) in every region, without its ~1,240 per-region ECS-optimized and latest ones.

    moto builds each (account, region) EC2 backend anew after every reset, and each build made ~1,290 AMIs with a
    volume and a snapshot apiece: ~0.7 s per region a test touches, and every DescribeImages serialized them all.
    MOTO_AMIS_PATH makes moto load the one file in every region; it holds exactly moto's own amis.json, which has
    every image the sandbox and the tests look for (amzn2 x86_64, Windows, the instance-store AMI; the ECS seed
    falls back to amzn2 when there is no ECS-optimized image). Subprocesses that run moto inherit it (the demo's
    first-run test removes it: a person's demo has moto's full set).
    """
    from moto.utilities.utils import load_resource

    path = tmp_path_factory.mktemp("moto") / "amis.json"
    path.write_text(json.dumps(load_resource("ec2/resources/amis.json")))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MOTO_AMIS_PATH", str(path))
        yield


@pytest.fixture(scope="session")
def moto_server(moto_amis_few: None) -> Iterator[str]:
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


@contextmanager
def rows_for_module(django_db_blocker) -> Iterator[None]:
    """Keep the rows that a module-scoped fixture makes for every test of its module; drop them after the module.

    The rows are made in a transaction that stays open for the module; each test's `db` runs in a savepoint of it,
    rolled back after the test as usual, and the whole is rolled back at the end. So no test of the module may be
    `transaction=True` (its flush would empty the shared rows). Between tests the database is blocked as usual.
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        kept = transaction.atomic()
        kept.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            kept.__exit__(None, None, None)


def fleet_for_module(endpoint: str, django_db_blocker, build: Callable[[Any], T]) -> Iterator[T]:
    """One seeded and synced sandbox fleet for a module of read-only tests (pages, API lists) instead of one per test.

        @pytest.fixture(scope="module")
        def synced_for_module(moto_server, django_db_setup, django_db_blocker):
            yield from fleet_for_module(moto_server, django_db_blocker, build)  # build(account): seed, sync

    `build` gets the default Account (as the `account` fixture makes it) with the sandbox freshly reset, and what it
    returns is the fixture's value. The sandbox is reset again after the module, and the rows are dropped
    (rows_for_module). The module's tests must not use `aws` (its reset is harmless to the rows, but the sandbox is
    then empty) and must not depend on one another's writes. List the module in XDIST_GROUPS, so that one xdist
    worker builds the fleet once.
    """
    from fleetui.aws import clients_clear
    from fleetui.inventory.models import Account
    from tests.inventory.sync.fleet import DEFAULT_ID

    with rows_for_module(django_db_blocker):
        requests.post(f"{endpoint}/moto-api/reset", timeout=30)
        clients_clear()
        with django_db_blocker.unblock():
            made = build(Account.objects.create(account_id=DEFAULT_ID, name="default"))
        yield made
    requests.post(f"{endpoint}/moto-api/reset", timeout=30)
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
