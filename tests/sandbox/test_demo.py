"""The pieces of `manage.py demo`: logins, the children's environment, and starting/stopping children."""

import os
import re
import signal
import socket
import stat
import subprocess
import sys
import time

import pytest
import requests
from django.contrib.auth import authenticate

from fleetui.core.roles import Role, user_role
from fleetui.sandbox import children as ch
from fleetui.sandbox.management.commands import demo


def python(code: str) -> list[str]:
    return [sys.executable, "-u", "-c", code]


def test_logins_are_made_once_kept_private_and_work(db, tmp_path):
    path = tmp_path / "var" / "demo-logins"
    first = demo.demo_logins_ensure(path=path)
    assert set(first) == {"admin", "operator", "viewer"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for username, password in first.items():
        user = authenticate(username=username, password=password)
        assert user is not None
        assert user_role(user) == {"admin": Role.ADMIN, "operator": Role.OPERATOR, "viewer": Role.VIEWER}[username]
    assert len(set(first.values())) == 3
    assert all(len(p) >= 16 for p in first.values())
    again = demo.demo_logins_ensure(path=path)
    assert again == first
    assert demo.demo_logins_read(path=path) == first


def test_a_lost_logins_file_gets_new_passwords(db, tmp_path):
    path = tmp_path / "demo-logins"
    old = demo.demo_logins_ensure(path=path)
    path.unlink()
    new = demo.demo_logins_ensure(path=path)
    assert new["viewer"] != old["viewer"]
    assert authenticate(username="viewer", password=old["viewer"]) is None
    assert authenticate(username="viewer", password=new["viewer"]) is not None


def test_logins_file_with_loose_bits_is_tightened(db, tmp_path):
    path = tmp_path / "demo-logins"
    path.write_text("viewer kept-password-123\n")
    path.chmod(0o644)
    logins = demo.demo_logins_ensure(path=path)
    assert logins["viewer"] == "kept-password-123"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert authenticate(username="viewer", password="kept-password-123") is not None


def test_child_env_points_boto3_at_the_sandbox(monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "my-real-profile")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-session")
    extra = demo.sandbox_env(endpoint_url="http://127.0.0.1:5123", regions=["us-east-1", "eu-west-1"])
    env = demo.child_env(extra=extra, sandbox=True)
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:5123"
    assert env["AWS_DEFAULT_REGION"] == "us-east-1"
    assert env["FLEETUI_REGIONS"] == "us-east-1,eu-west-1"
    assert env["AWS_ACCESS_KEY_ID"] and env["AWS_SECRET_ACCESS_KEY"]
    assert "AWS_PROFILE" not in env and "AWS_SESSION_TOKEN" not in env
    assert env["PYTHONUNBUFFERED"] == "1"
    real = demo.child_env(extra={}, sandbox=False)
    assert real["AWS_PROFILE"] == "my-real-profile"


def test_a_child_with_that_env_reaches_the_sandbox(moto_server):
    env = demo.child_env(extra=demo.sandbox_env(endpoint_url=moto_server, regions=["us-east-1"]), sandbox=True)
    code = "import boto3; print(boto3.client('sts').get_caller_identity()['Account'])"
    done = subprocess.run(python(code), env=env, capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "123456789012"


def test_wait_for_returns_the_ready_line_and_logs_everything(tmp_path):
    code = "import time; print('seeding 3 accounts'); print('sandbox ready on http://127.0.0.1:5123'); time.sleep(60)"
    child = ch.Child(name="sandbox", argv=python(code), env=dict(os.environ), log_path=tmp_path / "sandbox.log")
    seen: list[str] = []
    try:
        match = child.wait_for(demo.SANDBOX_READY, timeout=30, echo=seen.append)
        assert match.group(1) == "http://127.0.0.1:5123"
        assert seen == ["seeding 3 accounts\n", "sandbox ready on http://127.0.0.1:5123\n"]
        child.check_alive()
    finally:
        started = time.monotonic()
        child.stop()
    assert child.proc.returncode == -signal.SIGTERM
    assert time.monotonic() - started < 5
    assert "seeding 3 accounts" in (tmp_path / "sandbox.log").read_text()


def test_wait_for_reports_a_child_that_exits_before_it_is_ready(tmp_path):
    code = "import sys; print('Error: port 5000 is in use'); sys.exit(3)"
    child = ch.Child(name="sandbox", argv=python(code), env=dict(os.environ), log_path=tmp_path / "sandbox.log")
    with pytest.raises(ch.ChildFailed, match=r"sandbox exited with code 3 before it was ready") as failure:
        child.wait_for(demo.SANDBOX_READY, timeout=30)
    assert "Error: port 5000 is in use" in str(failure.value)
    assert str(tmp_path / "sandbox.log") in str(failure.value)
    with pytest.raises(ch.ChildFailed, match="stopped unexpectedly"):
        child.check_alive()
    child.stop()


def test_wait_for_times_out_with_a_clear_error(tmp_path):
    child = ch.Child(
        name="sandbox", argv=python("import time; time.sleep(60)"), env=dict(os.environ), log_path=tmp_path / "s.log"
    )
    try:
        with pytest.raises(ch.ChildFailed, match=r"sandbox did not say it was ready within 0.5 s"):
            child.wait_for(demo.SANDBOX_READY, timeout=0.5)
    finally:
        child.stop()


def test_stop_kills_a_child_that_ignores_sigterm(tmp_path):
    code = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('up'); time.sleep(60)"
    child = ch.Child(name="stubborn", argv=python(code), env=dict(os.environ), log_path=tmp_path / "x.log")
    child.wait_for(re.compile("up"), timeout=30)
    child.stop(timeout=0.5)
    assert child.proc.returncode == -signal.SIGKILL


def test_run_foreground_returns_the_exit_code():
    assert ch.run_foreground(python("import sys; sys.exit(4)"), env=dict(os.environ)) == 4


def test_ready_patterns_match_what_the_servers_print():
    assert demo.GUNICORN_READY.search(
        "[2026-11-29 14:00:00 +0000] [81] [INFO] Listening at: http://127.0.0.1:8000 (81)"
    )
    assert demo.WORKER_READY.search("[2026-11-29 14:00:01,000: INFO/MainProcess] actions@laptop.local ready.")
    match = demo.RUNSERVER_READY.search("Starting development server at http://127.0.0.1:8000/")
    assert match and match.group(1) == "http://127.0.0.1:8000"


def test_ports():
    port = demo.free_port()
    assert demo.port_is_free(port)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        assert not demo.port_is_free(port)


def test_web_server_starts_serves_and_stops(tmp_path):
    """gunicorn, started the way the demo starts it, answers with the app and stops on SIGTERM."""
    command = demo.Command()
    command.children, command.log_dir = [], tmp_path
    port = demo.free_port()
    try:
        url = command.start_web(demo.child_env(extra={}, sandbox=False), port)
        web = command.children[0]
        assert url == f"http://127.0.0.1:{port}"
        answer = requests.get(f"{url}/", allow_redirects=False, timeout=10)
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith("/login/")
    finally:
        command.stop_all()
    assert not command.children
    assert web.proc.returncode == 0  # gunicorn's clean exit on SIGTERM
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/", timeout=5)


def test_workers_and_beat_start_on_the_embedded_broker(tmp_path):
    """A real worker per queue and beat on kombu's filesystem broker under a throwaway var/ say they are ready."""
    command = demo.Command()
    command.children, command.log_dir = [], tmp_path
    env = demo.child_env(extra={"FLEETUI_VAR_DIR": str(tmp_path / "var")}, sandbox=False)
    env.pop("CELERY_BROKER_URL", None)
    try:
        command.start_celery(env)
        assert [child.name for child in command.children] == ["actions-worker", "sync-worker", "beat"]
        for child in command.children:
            child.check_alive()
    finally:
        command.stop_all()
    assert (tmp_path / "var" / "broker" / "queue").is_dir()
    for queue in ("actions", "sync"):
        log = (tmp_path / f"{queue}-worker.log").read_text()
        assert f"{queue}@" in log and "ready." in log
        assert f".> {queue}" in log  # the worker's banner lists the one queue it consumes


def test_demo_accounts_are_the_sandbox_ambient_and_second_account(db, aws):
    first = demo.demo_accounts_ensure(sandbox=True)
    assert [(a.account_id, a.role_arn) for a in first] == [
        ("123456789012", ""),
        ("210987654321", "arn:aws:iam::210987654321:role/fleetui-readonly"),
    ]
    again = demo.demo_accounts_ensure(sandbox=True)
    assert [a.pk for a in again] == [a.pk for a in first]
    assert [a.account_id for a in demo.demo_accounts_ensure(sandbox=False)] == ["123456789012"]


def test_sandbox_layout_matches_the_seeded_fleet():
    ambient, second, role_arn, regions = demo.sandbox_layout()
    assert (ambient, second) == ("123456789012", "210987654321")
    assert role_arn == "arn:aws:iam::210987654321:role/fleetui-readonly"
    assert regions == ["us-east-1", "eu-west-1", "ap-southeast-2"]


def test_real_aws_mode_starts_no_sandbox_and_keeps_the_ambient_config(tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "ops-readonly")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    command = demo.Command()
    command.children, command.log_dir = [], tmp_path
    env = command.start_aws(sandbox_port=None, real_aws=True)
    assert command.children == []
    assert "AWS_ENDPOINT_URL" not in env
    assert env["AWS_PROFILE"] == "ops-readonly"


def test_real_aws_without_usable_credentials_is_a_clear_error(db, tmp_path, monkeypatch, settings):
    """No traceback for a person without AWS access: a CommandError that says what failed, and nothing left running."""
    from django.core.management import CommandError, call_command

    from fleetui.aws import clients_clear

    settings.VAR_DIR = tmp_path
    monkeypatch.setattr(demo.Command, "prepare_database", lambda self: None)
    for name in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    clients_clear()
    try:
        with pytest.raises(CommandError, match="Could not reach AWS through your AWS configuration") as failure:
            call_command("demo", "--real-aws", "--port", str(demo.free_port()))
        assert "credentials" in str(failure.value)
    finally:
        clients_clear()
