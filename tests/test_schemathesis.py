"""Schemathesis over every operation of the OpenAPI schema, in process (WSGI, no network): as an operator, every answer
must be a documented status with a documented body and content type, and never a server error; without credentials
every operation answers its documented 401, and for a user without a role its documented 403.

Run it alone: `.venv/bin/pytest tests/test_schemathesis.py` (`-k "GET and instances"` for some operations).

The rows: two of every model, made generically from its fields (so every serializer's answer is checked against its
schema, for a null and a set value of each nullable field), once for the module.

The action POSTs run for real, as an operator. A generated request names no account, region and target that exist
together, so it takes a refusal path (400, 403, 404, and 409 for cancelling action #2, which is over) and records
nothing; an inline kind (a key pair made in the request) never gets as far as AWS. Even an accepted request would only
record its action: its task is enqueued when the request's transaction commits, which a test's never does.
"""

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.apps import apps
from django.core.management.color import no_style
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection, models
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.core import NOT_SET

from fleetui.actions.models import Action
from fleetui.actions.registry import OPERATIONS
from fleetui.core.roles import Role
from tests.conftest import _user, rows_for_module
from tests.factories import AccountFactory, InstanceFactory
from tests.openapi_schema import openapi_schema

# Examples per operation in the fuzzing phase (plus each operation's examples from the schema). 93 operations x 8
# keeps the module near 30 s on one core; raise it locally (`FLEETUI_SCHEMATHESIS_EXAMPLES`) for a deeper search.
EXAMPLES = int(os.environ.get("FLEETUI_SCHEMATHESIS_EXAMPLES", "8"))

RAW = openapi_schema()
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"max-examples": EXAMPLES, "database": "none", "deterministic": True},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "checks": {
            "enabled": False,
            "not_a_server_error": {"enabled": True},
            "status_code_conformance": {"enabled": True},
            "content_type_conformance": {"enabled": True},
            "response_schema_conformance": {"enabled": True},
        },
    }
)
schema = schemathesis.openapi.from_dict(RAW, config=CONFIG)
schema.app = get_wsgi_application()


# Fields whose validators ask for a shape (the model validates them; the schema says so).
SHAPED = {"account_id": lambda n: f"{123456789010 + n}", "role_arn": lambda n: ""}


def _value(field: models.Field, n: int) -> Any:
    """A valid value of `field` for the n-th row (1 or 2)."""
    if field.name in SHAPED:
        return SHAPED[field.name](n)
    if field.choices:
        return field.choices[(n - 1) % len(field.choices)][0]
    if isinstance(field, models.DateTimeField):
        return datetime(2026, 1, 1, tzinfo=UTC) - timedelta(hours=n)
    if isinstance(field, models.DateField):
        return date(2026, 1, n)
    if isinstance(field, models.GenericIPAddressField):
        return f"10.0.0.{n}"
    if isinstance(field, models.DecimalField):
        return Decimal("0.0123")
    if isinstance(field, models.FloatField):
        return 0.5 * n
    if isinstance(field, models.IntegerField):
        return n
    if isinstance(field, models.BooleanField):
        return n == 1
    if isinstance(field, models.JSONField):
        return field.get_default() if field.has_default() else {}
    text = f"{field.name}-{n}"
    return text[: field.max_length] if field.max_length else text


def _rows_of(model: type[models.Model], user: Any) -> None:
    """Rows 1 and 2 of `model`; the second sets every nullable field the first leaves null."""
    for n in (1, 2):
        values: dict[str, Any] = {"pk": n}
        for field in model._meta.concrete_fields:
            if field.primary_key or (field.null and n == 1):
                continue
            if field.is_relation:
                related = field.related_model
                row = related.objects.filter(pk=n).first() or related.objects.first()
                values[field.name] = user if related is apps.get_model("auth", "User") else row
            elif not field.has_default() or isinstance(field, models.JSONField):
                values[field.name] = _value(field, n)
        model._default_manager.bulk_create([model(**values)])  # no save(): the history refuses edits by pk


def _ordered() -> list[type[models.Model]]:
    """fleetui's models, each after those its foreign keys point to; not the history's daily counts, which the
    database keeps itself (triggers on the change records)."""
    todo = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("fleetui.")
        and not any(f.one_to_one for f in m._meta.concrete_fields)
        and m is not apps.get_model("inventory", "ChangeCount")
    ]
    done: list[type[models.Model]] = []
    while todo:
        for model in todo:
            needs = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
            if all(m in done or not m.__module__.startswith("fleetui.") or m is model for m in needs):
                done.append(model)
                todo.remove(model)
                break
    return done


@pytest.fixture(scope="module")
def api_rows(django_db_setup, django_db_blocker) -> Iterator[str]:
    """Two rows of every model and an operator's token (yielded), kept for the module (rows_for_module)."""
    from django.contrib.auth.models import User

    with rows_for_module(django_db_blocker):
        with django_db_blocker.unblock():
            operator = _user(User, "otto", Role.OPERATOR)
            made = _ordered()
            for model in made:
                _rows_of(model, operator)
            # A real kind, so that cancelling meets the engine's rules: #1 waits (cancel: 200), #2 is over (409).
            kind = next(kind for kind, op in sorted(OPERATIONS.items()) if op.role <= Role.OPERATOR)
            Action.objects.filter(pk=1).update(kind=kind, status=Action.Status.PENDING)
            Action.objects.filter(pk=2).update(kind=kind, status=Action.Status.SUCCEEDED)
            with connection.cursor() as cursor:  # rows with explicit ids: later inserts must not reuse them
                for statement in connection.ops.sequence_reset_sql(no_style(), made):
                    cursor.execute(statement)
            key = Token.objects.create(user=operator).key
        yield key


@pytest.fixture
def wsgi(api_rows: str, db) -> Iterator[str]:
    """The module's rows, and the operator's token (yielded), for requests through the WSGI app."""
    # Django's test Client stops these two handlers from closing the test's connection between requests; the WSGI
    # app that Schemathesis calls sends the signals itself.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield api_rows
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_operation_answers_as_documented(case, wsgi):
    case.call_and_validate(headers={"Authorization": f"Token {wsgi}"})


def _each_operation(headers: dict[str, str]) -> list[tuple[str, int]]:
    """One request to every operation (path parameters of row 1, no query, an empty body), each answer checked
    against the schema like the fuzzed ones; (operation, status) of each."""
    answers = []
    for result in schema.get_all_operations():
        operation = result.ok()
        names = [p.name for p in operation.path_parameters]
        body = {} if operation.body else NOT_SET
        case = operation.Case(path_parameters=dict.fromkeys(names, 1), body=body, media_type="application/json")
        response = case.call_and_validate(headers=headers)
        answers.append((operation.label, response.status_code))
    return answers


def test_without_credentials_every_operation_answers_401(wsgi):
    answers = _each_operation({})
    assert len(answers) == len([o for ops in RAW["paths"].values() for o in ops]) > 90
    assert {status for _, status in answers} == {401}, [a for a in answers if a[1] != 401]


def test_for_a_user_without_a_role_every_operation_answers_403(wsgi):
    from django.contrib.auth.models import User

    key = Token.objects.create(user=_user(User, "nora", None)).key
    answers = _each_operation({"Authorization": f"Token {key}"})
    assert {status for _, status in answers} == {403}, [a for a in answers if a[1] != 403]


def test_a_busy_target_answers_the_documented_409(wsgi):
    """The one 409 that fuzzing cannot reach (it needs a live target): a second action on a target held by the first.
    The first stays pending: a task is enqueued only when the request's transaction commits, which a test never does."""
    instance = InstanceFactory(account=AccountFactory(account_id="123456789000"), region="us-east-1")
    request = {"kind": "ec2.stop", "targets": [instance.instance_id], "reason": "schema check"}
    create = schema["/api/v1/actions/"]["POST"]
    auth = {"Authorization": f"Token {wsgi}"}
    first = create.Case(body=request, media_type="application/json").call_and_validate(headers=auth)
    assert first.status_code == 201 and first.json()["targets"] == [instance.instance_id]
    second = create.Case(body=request, media_type="application/json").call_and_validate(headers=auth)
    assert second.status_code == 409
    assert f"{instance.instance_id} is busy: action #{first.json()['id']}" in second.json()["detail"]
