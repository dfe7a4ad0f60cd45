"""`manage.py demo`: everything a person needs to try fleetui on a laptop, in one command.

It migrates, collects static files, starts the sandbox AWS (moto) unless `--real-aws`, creates the
demo accounts and three logins (admin, operator, viewer; passwords generated once into
var/demo-logins, mode 600), starts real Celery workers (one for the actions queue, one for the sync queue)
and beat on the embedded broker, runs a first sync in the foreground, then serves the app with gunicorn and
prints the URL and the logins.
Ctrl-C (or SIGTERM) stops every child it started. Each child's output goes to var/logs/demo/.

It imports fleetui.sandbox (the seed's layout), so it lives in the sandbox app, which only the demo and
test settings install; product code never imports fleetui.sandbox.
"""

import os
import re
import secrets
import signal
import socket
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fleetui.aws import AwsError
from fleetui.core.roles import Role, user_set_role
from fleetui.inventory.models import Account
from fleetui.sandbox.children import Child, ChildFailed, run_foreground
from fleetui.sandbox.server import READY as SANDBOX_READY
from fleetui.sandbox.server import client_env

DEMO_USERS = {"admin": Role.ADMIN, "operator": Role.OPERATOR, "viewer": Role.VIEWER}
WORKER_READY = re.compile(r"\w+@\S+ ready\.")
BEAT_READY = re.compile(r"beat: Starting")
GUNICORN_READY = re.compile(r"Listening at: (http://\S+)")
RUNSERVER_READY = re.compile(r"Starting development server at (http://\S+?)/?$")
# Of the sandbox's output only its seed summary goes to the console; all of it is in var/logs/demo/sandbox.log.
SANDBOX_ECHO = re.compile(r"^Seeded")
SANDBOX_TIMEOUT = 300  # seeding takes under 60 s on a laptop; a slow first import of moto can add more


def sandbox_layout() -> tuple[str, str, str, list[str]]:
    """The sandbox's ambient account, second account, its role ARN, and regions."""
    from fleetui.sandbox import seed

    return seed.DEFAULT_ACCOUNT, seed.SECOND_ACCOUNT, seed.SECOND_ROLE_ARN, list(seed.DEMO_REGIONS)


def demo_logins_ensure(*, path: Path) -> dict[str, str]:
    """Make the demo users with their roles; return {username: password}.

    Passwords are generated once and kept in `path` (mode 600), so a second run prints the same
    logins. A user whose password is not in the file (new user, lost file) gets a new one.
    """
    saved = demo_logins_read(path=path)
    user_model = get_user_model()
    logins: dict[str, str] = {}
    for username, role in DEMO_USERS.items():
        password = saved.get(username) or secrets.token_urlsafe(12)
        user, _ = user_model.objects.get_or_create(username=username)
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        user_set_role(user=user, role=role)
        logins[username] = password
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("# fleetui demo logins, made by `manage.py demo`. Delete this file for new passwords.\n")
        out.writelines(f"{username} {password}\n" for username, password in logins.items())
    path.chmod(0o600)  # the file may predate this run with looser bits
    return logins


def demo_logins_read(*, path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#"))
    return {words[0]: words[1] for words in pairs if len(words) == 2}


def demo_accounts_ensure(*, sandbox: bool) -> list[Account]:
    """The ambient account (from the credentials), and with the sandbox its second account, reached by AssumeRole."""
    from fleetui.inventory.services import account_ensure_default

    accounts = [account_ensure_default()]
    if sandbox:
        _, account_id, role_arn, _ = sandbox_layout()
        second, _ = Account.objects.get_or_create(
            account_id=account_id, defaults={"name": "sandbox-second", "role_arn": role_arn}
        )
        accounts.append(second)
    return accounts


def sandbox_env(*, endpoint_url: str, regions: Sequence[str]) -> dict[str, str]:
    """The standard boto3 configuration that points every child at the sandbox (moto takes any key)."""
    return {**client_env(endpoint_url), "FLEETUI_REGIONS": ",".join(regions)}


def child_env(*, extra: dict[str, str], sandbox: bool) -> dict[str, str]:
    env = dict(os.environ)
    if sandbox:
        # A profile or session token from the person's own AWS setup must not leak into sandbox calls.
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            env.pop(name, None)
    env.update(extra)
    env["PYTHONUNBUFFERED"] = "1"  # ready lines must reach us when printed, not when a buffer fills
    return env


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def python_shown() -> str:
    """How to call this Python from the project directory: `.venv/bin/python` for `make demo`."""
    relative = os.path.relpath(sys.executable, settings.BASE_DIR)
    return relative if not relative.startswith("..") else "python"


class _Stop(Exception):
    """SIGTERM, turned into an exception so the same cleanup runs as for Ctrl-C."""


@contextmanager
def stop_signals_raise() -> Iterator[None]:
    """SIGTERM raises _Stop and SIGINT KeyboardInterrupt, even where the parent shell ignored SIGINT
    (a script's background job): "Ctrl-C stops everything" must hold wherever the demo runs."""

    def on_term(signum: int, frame: Any) -> None:
        raise _Stop

    previous = {signal.SIGTERM: signal.signal(signal.SIGTERM, on_term)}
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Command(BaseCommand):
    help = (
        "Start fleetui for a try-out: the sandbox AWS (or --real-aws), a Celery worker and beat, a first sync "
        "and the web server, then print the URL and the demo logins. Ctrl-C stops everything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Web server port on 127.0.0.1 (default 8000).")
        parser.add_argument("--sandbox-port", type=int, help="Sandbox port (default 5000, or a free one).")
        parser.add_argument("--no-sync", action="store_true", help="Skip the first sync; beat still syncs later.")
        parser.add_argument(
            "--real-aws", action="store_true", help="No sandbox: use your AWS configuration (read-only calls)."
        )

    def handle(self, *args: Any, port: int, sandbox_port: int | None, no_sync: bool, real_aws: bool, **_: Any) -> None:
        if not port_is_free(port):
            raise CommandError(f"Port {port} on 127.0.0.1 is taken. Pass --port with a free one.")
        self.children: list[Child] = []
        self.log_dir = Path(settings.VAR_DIR) / "logs" / "demo"
        self.logins_path = Path(settings.VAR_DIR) / "demo-logins"
        self.log_dir.mkdir(parents=True, exist_ok=True)
        try:
            with stop_signals_raise():
                self.prepare_database()
                env = self.start_aws(sandbox_port=sandbox_port, real_aws=real_aws)
                self.step("Demo accounts and logins")
                accounts = demo_accounts_ensure(sandbox=not real_aws)
                logins = demo_logins_ensure(path=self.logins_path)
                self.start_celery(env)
                if not no_sync:
                    self.first_sync(env, accounts)
                url = self.start_web(env, port)
                self.banner(url, logins)
                self.watch()
        except (KeyboardInterrupt, _Stop):
            self.stdout.write("\nStopping...")
        except ChildFailed as failure:
            raise CommandError(str(failure)) from None
        except AwsError as error:
            where = "your AWS configuration" if real_aws else "the sandbox"
            raise CommandError(f"Could not reach AWS through {where}: {error}") from None
        finally:
            self.stop_all()

    def step(self, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"==> {text}"))

    def prepare_database(self) -> None:
        self.step("Database and static files")
        call_command("migrate", interactive=False, verbosity=0)
        # DEBUG is off, so whitenoise serves from the manifest that collectstatic writes.
        call_command("collectstatic", interactive=False, verbosity=0)

    def start_aws(self, *, sandbox_port: int | None, real_aws: bool) -> dict[str, str]:
        """Start the sandbox and return the children's environment (with --real-aws: the ambient one)."""
        if real_aws:
            self.step("Using your AWS configuration (no sandbox)")
            return child_env(extra={}, sandbox=False)
        if sandbox_port is None:
            sandbox_port = 5000 if port_is_free(5000) else free_port()
        self.step(f"Starting the sandbox AWS on port {sandbox_port} and seeding the demo fleet (about a minute)")
        sandbox = self.spawn(
            "sandbox",
            [sys.executable, "manage.py", "sandbox", "--port", str(sandbox_port)],
            child_env(extra={}, sandbox=True),
        )
        ready = sandbox.wait_for(SANDBOX_READY, timeout=SANDBOX_TIMEOUT, echo=self.echo_sandbox)
        *_, regions = sandbox_layout()
        extra = sandbox_env(endpoint_url=ready.group(1), regions=regions)
        os.environ.update(extra)  # this process talks to the sandbox too (the ambient account's id)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            os.environ.pop(name, None)
        return child_env(extra=extra, sandbox=True)

    def echo_sandbox(self, line: str) -> None:
        if SANDBOX_ECHO.search(line):
            self.stdout.write(f"    {line.rstrip()}")

    def start_celery(self, env: dict[str, str]) -> None:
        """One worker per queue, as in production, so an action never waits behind the periodic sync."""
        self.step("Starting the Celery workers (actions, sync) and beat on the embedded broker")
        celery = [sys.executable, "-m", "celery", "-A", "fleetui"]
        workers = [
            self.spawn(
                f"{queue}-worker",
                [
                    *celery,
                    "worker",
                    f"--queues={queue}",
                    f"--hostname={queue}@%h",
                    "--concurrency=2",
                    "--loglevel=INFO",
                ],
                env,
            )
            for queue in (settings.FLEETUI_ACTIONS_QUEUE, settings.FLEETUI_SYNC_QUEUE)
        ]
        beat = self.spawn("beat", [*celery, "beat", "--loglevel", "INFO"], env)
        for worker in workers:
            worker.wait_for(WORKER_READY, timeout=120)
        beat.wait_for(BEAT_READY, timeout=60)

    def first_sync(self, env: dict[str, str], accounts: Sequence[Account]) -> None:
        self.step(f"First sync of {len(accounts)} account(s); beat repeats it every {settings.FLEETUI_SYNC_INTERVAL} s")
        code = run_foreground([sys.executable, "manage.py", "sync_inventory"], env=env, cwd=settings.BASE_DIR)
        if code != 0:
            self.stdout.write(self.style.WARNING("Some scopes failed to sync: the Sync runs page says which and why."))

    def start_web(self, env: dict[str, str], port: int) -> str:
        self.step(f"Starting the web server on 127.0.0.1:{port}")
        argv = [sys.executable, "-m", "gunicorn", "fleetui.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2"]
        web = self.spawn("web", [*argv, "--access-logfile", "-"], env)
        try:
            return web.wait_for(GUNICORN_READY, timeout=60).group(1)
        except ChildFailed as failure:
            self.stdout.write(self.style.WARNING(f"gunicorn did not start ({failure}); using Django's runserver."))
            self.children.remove(web)
        runserver = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
        return self.spawn("web", runserver, env).wait_for(RUNSERVER_READY, timeout=60).group(1)

    def spawn(self, name: str, argv: list[str], env: dict[str, str]) -> Child:
        child = Child(name=name, argv=argv, env=env, log_path=self.log_dir / f"{name}.log", cwd=settings.BASE_DIR)
        self.children.append(child)
        return child

    def banner(self, url: str, logins: dict[str, str]) -> None:
        width = max(len(name) for name in logins)
        lines = [
            "",
            self.style.SUCCESS(f"fleetui is running at {url}/"),
            "",
            f"Log in as (passwords are kept in {self.logins_path}):",
            *(f"  {name:<{width}}  {password}   ({DEMO_USERS[name].label})" for name, password in logins.items()),
            "",
            f"API: {url}/api/v1/   token: {python_shown()} manage.py api_token viewer --create",
            f"Logs: {self.log_dir}/",
            self.style.WARNING("Ctrl-C stops everything."),
        ]
        self.stdout.write("\n".join(lines))

    def watch(self) -> None:
        """Block until Ctrl-C, SIGTERM, or a child dies (then say which and where its log is)."""
        while True:
            for child in self.children:
                child.check_alive()
            time.sleep(1)

    def stop_all(self) -> None:
        # All at once (a Celery worker takes seconds to shut down), but the sandbox last, so a task still
        # running while the worker shuts down does not see its AWS vanish first.
        for child in self.children:
            if child.name != "sandbox":
                child.terminate()
        for child in reversed(self.children):
            child.stop()
        if self.children:
            self.stdout.write("Stopped: " + ", ".join(child.name for child in reversed(self.children)) + ".")
        self.children = []
