"""`manage.py demo` end to end: a person's first run, on SQLite under a throwaway var/, then Ctrl-C."""

import os
import re
import signal
import sys
from pathlib import Path

import requests

from fleetui.sandbox.children import Child
from fleetui.sandbox.management.commands.demo import free_port

ROOT = Path(__file__).resolve().parents[2]


def log_in(base: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{base}/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    done = session.post(
        f"{base}/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/login/"},
        timeout=10,
    )
    assert done.url == f"{base}/", "the login did not redirect to the overview"
    return session


def test_demo_starts_everything_serves_logins_and_stops_on_ctrl_c(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "CELERY_", "MOTO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="fleetui.settings.demo",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        FLEETUI_VAR_DIR=str(tmp_path),
    )
    port, sandbox_port = free_port(), free_port()
    argv = [sys.executable, "manage.py", "demo", "--no-sync", "--port", str(port), "--sandbox-port", str(sandbox_port)]
    demo = Child(name="demo", argv=argv, env=env, log_path=tmp_path / "demo-console.log", cwd=ROOT)
    try:
        demo.wait_for(re.compile("Ctrl-C stops everything"), timeout=240)
        console = (tmp_path / "demo-console.log").read_text()
        base = f"http://127.0.0.1:{port}"
        assert f"fleetui is running at {base}/" in console
        password = re.search(r"^  viewer\s+(\S+)\s+\(viewer\)$", console, flags=re.MULTILINE).group(1)
        assert f"viewer {password}" in (tmp_path / "demo-logins").read_text()

        session = log_in(base, "viewer", password)
        overview = session.get(f"{base}/", timeout=10)
        assert overview.status_code == 200
        # The API docs load Swagger UI from our own static files, through whitenoise's manifest (DEBUG is off).
        docs = session.get(f"{base}/api/v1/docs/", timeout=10).text
        bundle = re.search(r'src="([^"]+swagger-ui-bundle[^"]*\.js)"', docs).group(1)
        assert session.get(f"{base}{bundle}", timeout=10).status_code == 200
        accounts = session.get(f"{base}/api/v1/accounts/", timeout=10).json()
        assert {a["account_id"] for a in accounts["results"]} == {"123456789012", "210987654321"}
        # The children really are what the demo says: the sandbox on its port, a worker and beat, gunicorn.
        sandbox_log = (tmp_path / "logs" / "demo" / "sandbox.log").read_text()
        assert f"sandbox ready on http://127.0.0.1:{sandbox_port}" in sandbox_log
        for worker in ("actions-worker", "sync-worker"):
            assert "ready." in (tmp_path / "logs" / "demo" / f"{worker}.log").read_text()
        assert "Listening at" in (tmp_path / "logs" / "demo" / "web.log").read_text()
    finally:
        demo.proc.send_signal(signal.SIGINT)
        code = demo.proc.wait(timeout=90)
        demo.stop()
    assert code == 0
    assert "Stopped: web, beat, sync-worker, actions-worker, sandbox." in (tmp_path / "demo-console.log").read_text()
    for gone in (port, sandbox_port):
        try:
            requests.get(f"http://127.0.0.1:{gone}/", timeout=5)
        except requests.ConnectionError:
            continue
        raise AssertionError(f"something still answers on port {gone} after Ctrl-C")
