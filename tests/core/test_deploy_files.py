"""The production files that cannot run here (no Docker): docker-compose.yml, the Dockerfile and the IAM policy.

They are checked by reading them, and against the code they name, so they cannot drift from it silently.
"""

import json
import os
import re
import secrets
import subprocess
import sys
import tomllib
from pathlib import Path

import boto3
import yaml

from fleetui.celery import app

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ["migrate", "web", "actions-worker", "sync-worker", "beat"]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_production_services():
    services = compose()["services"]
    assert {"web", "actions-worker", "sync-worker", "beat", "postgres", "redis"} <= set(services)
    assert services["web"]["command"][0] == "gunicorn"
    assert "fleetui.wsgi" in services["web"]["command"]
    # One worker per queue: the sync never takes the processes actions need (issue 15, section 1).
    for name, queue in [("actions-worker", "actions"), ("sync-worker", "sync")]:
        assert services[name]["command"][:4] == ["celery", "-A", "fleetui", "worker"]
        assert f"--queues={queue}" in services[name]["command"]
    assert {q.name for q in app.conf.task_queues} == {"actions", "sync"}
    assert services["beat"]["command"][:4] == ["celery", "-A", "fleetui", "beat"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in ["web", "actions-worker", "sync-worker", "beat"]:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "healthcheck" in services["postgres"] and "healthcheck" in services["redis"]


def test_compose_configures_the_app_from_the_environment_without_secrets():
    for name in APP_SERVICES:
        service = compose()["services"][name]
        assert service["build"] == "."
        assert service["env_file"] == ".env"
        env = service["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "fleetui.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://fleetui:${POSTGRES_PASSWORD:?")
        assert env["DATABASE_URL"].endswith("@postgres:5432/fleetui")
        assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
        # Secrets are interpolated from .env, and compose refuses to start without them.
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")
        assert env["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:?")
    assert ".env" in (ROOT / ".gitignore").read_text().splitlines()
    assert ".env" in (ROOT / ".dockerignore").read_text().splitlines()


def test_production_settings_accept_the_compose_environment():
    """`check --deploy` passes with exactly the variables compose gives the containers."""
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    dot_env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "POSTGRES_PASSWORD": "pw",
        "ALLOWED_HOSTS": "fleetui.example.com",
    }
    for key, value in compose()["services"]["web"]["environment"].items():
        env[key] = re.sub(r"\$\{(\w+):\?[^}]*\}", lambda m: dot_env[m.group(1)], value)
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_dockerfile_builds_the_image_the_compose_file_runs():
    text = (ROOT / "Dockerfile").read_text()
    assert text.splitlines()[1] == "FROM python:3.11-slim"
    assert "RUN pip install ." in text
    assert "python manage.py collectstatic --noinput" in text
    assert "USER fleetui" in text
    # Everything the image copies exists, and nothing secret is sent to the build.
    for source in re.findall(r"^COPY (.+) \S+$", text, flags=re.MULTILINE):
        for path in source.split():
            assert (ROOT / path).exists(), path
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {".env", ".venv", "var", ".git"} <= set(ignored)


# Run in a production process where moto and the sandbox cannot be imported, as in the image (`pip install .`).
WITHOUT_SANDBOX = """
import importlib, pkgutil, sys
sys.modules["moto"] = sys.modules["fleetui.sandbox"] = None  # any import of them now raises ImportError
import django
django.setup()
from django.conf import settings
assert "fleetui.sandbox" not in settings.INSTALLED_APPS, settings.INSTALLED_APPS
import fleetui
for module in pkgutil.walk_packages(fleetui.__path__, "fleetui."):
    if not module.name.startswith(("fleetui.sandbox", "fleetui.settings.")):
        importlib.import_module(module.name)
from django.core.management import call_command
call_command("check", "--deploy", fail_level="WARNING")
print("product imports", len(sys.modules))
"""


def test_production_needs_neither_moto_nor_the_sandbox_app():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not any(dep.startswith("moto") for dep in project["dependencies"])
    assert project["optional-dependencies"]["sandbox"] == ["moto[server]==5.2.5"]
    assert "fleetui[sandbox]" in project["optional-dependencies"]["dev"]  # `make test` and `make demo` get moto
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="fleetui.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="fleetui.example.com",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_SANDBOX], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "product imports" in done.stdout


# fleetui/aws/<service>.py reads (the inventory sync, the checks before an action); <service>_<what>.py serve actions.
# A service named after a Python keyword keeps its trailing underscore: lambda_.py reads, lambda_functions.py acts.
def is_read_module(path: Path) -> bool:
    return "_" not in path.stem.rstrip("_")


# API Gateway's management APIs (v1 and v2 both sign as "apigateway") are authorised by HTTP verb on a resource path,
# not by operation name: IAM knows "apigateway:GET" on arn:aws:apigateway:<region>::/restapis/*, no "GetRestApis".
HTTP_VERB_ACTIONS = {"apigateway"}


def aws_calls(paths: list[Path], *, reads_only: bool = False) -> set[str]:
    """IAM actions for the AWS calls made in `paths` (botocore method names found in the code, per the clients it
    builds); with `reads_only`, only Describe*/List*/Get*."""
    needed = set()
    for path in paths:
        text = path.read_text()
        for service in set(re.findall(r'(?:client_get|\.client|Query)\(\s*"([a-z0-9-]+)"', text)):
            meta = boto3.client(service, region_name="us-east-1").meta
            mapping = meta.method_to_api_mapping
            # IAM's prefix is the service's signing name: boto3's "emr" is IAM's "elasticmapreduce".
            prefix = meta.service_model.signing_name
            for method in set(re.findall(r"\b([a-z][a-z0-9_]+)\b", text)) & set(mapping):
                if not reads_only or method.startswith(("describe_", "list_", "get_")):
                    operation = mapping[method]
                    if prefix in HTTP_VERB_ACTIONS:  # "apigateway:GET", on the resource paths the policy names
                        operation = meta.service_model.operation_model(operation).http["method"]
                    needed.add(f"{prefix}:{operation}")
    return needed


def aws_modules(*, sync: bool) -> list[Path]:
    skip = {"__init__.py", "errors.py"}
    return [p for p in (ROOT / "fleetui" / "aws").glob("*.py") if p.name not in skip and is_read_module(p) == sync]


def read_calls_used_by_the_aws_layer() -> set[str]:
    """IAM actions for every read call (Describe*/List*/Get*) the inventory sync makes."""
    return aws_calls(aws_modules(sync=True), reads_only=True)


def policy_actions(name: str) -> set[str]:
    policy = json.loads((ROOT / "docs" / name).read_text())
    assert policy["Version"] == "2012-10-17"
    allowed = set()
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        actions = statement["Action"]
        allowed |= {actions} if isinstance(actions, str) else set(actions)
    assert not any("*" in action for action in allowed)
    return allowed


def test_the_operator_policy_covers_every_call_actions_make():
    """Actions need the read-only policy plus docs/iam-operator-policy.json: every call of the action modules, and
    the two permissions AWS checks behind RunInstances (tags at launch, passing an instance profile's role)."""
    needed = aws_calls(aws_modules(sync=False)) - policy_actions("iam-readonly-policy.json")
    allowed = policy_actions("iam-operator-policy.json")
    assert needed <= allowed, f"add to docs/iam-operator-policy.json: {sorted(needed - allowed)}"
    assert allowed - needed <= {"ec2:CreateTags", "iam:PassRole"}, sorted(allowed - needed)


def test_iam_policy_is_valid_and_covers_every_read_call():
    allowed = policy_actions("iam-readonly-policy.json")
    needed = read_calls_used_by_the_aws_layer()
    assert {"ec2:DescribeInstances", "ec2:DescribeRegions", "sts:GetCallerIdentity"} <= needed
    assert needed <= allowed, f"add to docs/iam-readonly-policy.json: {sorted(needed - allowed)}"
    # Least privilege: nothing that writes, and no read the sync does not make.
    assert allowed - needed == {"sts:AssumeRole"}
    policy = json.loads((ROOT / "docs" / "iam-readonly-policy.json").read_text())
    assume = next(s for s in policy["Statement"] if s["Action"] == "sts:AssumeRole")
    assert assume["Resource"] == "arn:aws:iam::*:role/fleetui-readonly"


def test_the_policy_files_are_derived_from_the_apps_iam_statements():
    """docs/iam-*.json are exactly what `manage.py iam_policies` writes from each app's `iam` module, so a service
    that declares a new call in its own iam.py updates the documented policies, and nothing else does."""
    from django.core.management import call_command

    from fleetui.core.iam import policies
    from fleetui.core.management.commands.iam_policies import policy_text

    derived = policies()
    assert set(derived) == {"iam-readonly-policy.json", "iam-operator-policy.json"}
    for name, policy in derived.items():
        assert (ROOT / "docs" / name).read_text() == policy_text(policy), f"run `manage.py iam_policies` ({name})"
    sids = [s["Sid"] for p in derived.values() for s in p["Statement"]]
    assert {"FleetuiReadEc2Inventory", "FleetuiReadBeanstalk", "FleetuiWhoAmI", "FleetuiEc2Actions"} <= set(sids)
    assert len(sids) == len(set(sids)), "a Sid is declared twice"
    call_command("iam_policies", "--check")
