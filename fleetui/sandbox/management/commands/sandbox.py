"""`python manage.py sandbox [--port P] [--no-seed] [--seed N]`: the sandbox AWS (moto with fleetui's extensions)
on 127.0.0.1, seeded with the demo fleet, in the foreground until Ctrl-C or SIGTERM.

Prints the endpoint, the environment to use, a one-line seed summary, then exactly
`sandbox ready on http://127.0.0.1:P` (other tools wait for that line).
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fleetui.sandbox.seed import fleet_seed, fleet_seed_describe
from fleetui.sandbox.server import READY_LINE, start_server


class Command(BaseCommand):
    help = "Run the sandbox AWS (moto + fleetui extensions + fault injection) on 127.0.0.1 with a demo fleet."
    requires_system_checks: list[str] = []  # needs no database or app checks

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=5000, help="Port on 127.0.0.1 (default 5000; 0 = free).")
        parser.add_argument("--no-seed", action="store_true", help="Start empty: no demo fleet.")
        parser.add_argument("--seed", type=int, default=42, help="Seed of the demo fleet (default 42).")

    def handle(self, *args: Any, port: int, no_seed: bool, seed: int, **_: Any) -> None:
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        server, url = start_server(port=port, host="127.0.0.1")
        try:
            self.stdout.write(f"Sandbox AWS endpoint: {url}")
            self.stdout.write("Use it with the standard boto3 environment:")
            self.stdout.write(f"  export AWS_ENDPOINT_URL={url}")
            self.stdout.write(
                "  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=us-east-1"
            )
            self.stdout.write(f"Fault injection: POST/GET/DELETE {url}/fleetui-sandbox/faults")
            if no_seed:
                self.stdout.write("Not seeded (--no-seed).")
            else:
                self.stdout.write(f"Seeded: {fleet_seed_describe(fleet_seed(endpoint=url, seed=seed))}")
            self.stdout.write(READY_LINE.format(url=url))
            self.stdout.flush()
            stop.wait()
        finally:
            server.stop()
            self.stdout.write("sandbox stopped")
