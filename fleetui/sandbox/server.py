"""Start moto's real HTTP server on 127.0.0.1 with the service packages' extensions and fault injection installed."""

from __future__ import annotations

import re
from threading import Thread

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

from . import services
from .middleware import FaultRegistry, SandboxMiddleware

# `manage.py sandbox` prints this line once it is seeded and serving; the demo and the bench wait for it.
READY_LINE = "sandbox ready on {url}"
READY = re.compile(r"sandbox ready on (http://\S+)")


def client_env(endpoint_url: str) -> dict[str, str]:
    """The standard boto3 environment that points a process at the sandbox (moto accepts any made-up key)."""
    return {
        "AWS_ENDPOINT_URL": endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }


class QuietRequestHandler(MotoRequestHandler):
    """No access log line per request: a sync makes thousands."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class SandboxServer:
    """moto's DomainDispatcherApplication behind SandboxMiddleware, served by werkzeug in a daemon thread.

    Same surface as moto's ThreadedMotoServer (start, stop, get_host_and_port) plus `url` and `faults`.
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.faults = FaultRegistry()
        app = SandboxMiddleware(DomainDispatcherApplication(create_backend_app), self.faults)
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True, request_handler=QuietRequestHandler)
        self._thread: Thread | None = None

    def start(self) -> None:
        self._thread = Thread(target=self._server.serve_forever, name="fleetui-sandbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()

    def get_host_and_port(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.get_host_and_port()
        return f"http://{host}:{port}"


def start_server(*, port: int = 0, host: str = "127.0.0.1") -> tuple[SandboxServer, str]:
    """Start the server in a thread; port 0 picks a free one. Returns the server and its endpoint URL."""
    services.install()
    server = SandboxServer(host=host, port=port)
    server.start()
    return server, server.url
