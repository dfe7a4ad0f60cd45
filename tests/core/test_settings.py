import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="fleetui.settings.production",
        SECRET_KEY="k" * 20 + "-production-secret-from-the-environment-0123456789",
        ALLOWED_HOSTS="fleetui.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="fleetui.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_is_off_unless_asked_for():
    code = "from django.conf import settings; print('DEBUG', settings.DEBUG)"
    assert "DEBUG False" in run_manage("shell", "-c", code, DJANGO_SETTINGS_MODULE="fleetui.settings.demo").stdout
    assert (
        "DEBUG True"
        in run_manage("shell", "-c", code, DJANGO_SETTINGS_MODULE="fleetui.settings.demo", DEBUG="1").stdout
    )


def test_a_visibility_timeout_shorter_than_an_action_is_flagged():
    redis = {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0", "DJANGO_SETTINGS_MODULE": "fleetui.settings.demo"}
    short = run_manage("check", FLEETUI_VISIBILITY_TIMEOUT="600", FLEETUI_ACTION_TIME_LIMIT="3600", **redis)
    assert "fleetui.W001" in short.stderr + short.stdout
    default = run_manage("check", **redis)
    assert "fleetui.W001" not in default.stderr + default.stdout
