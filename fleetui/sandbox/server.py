"""Start moto's real HTTP server on 127.0.0.1 with fleetui's extensions installed."""

from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from . import extensions


def start_server(*, port: int = 0, host: str = "127.0.0.1") -> tuple[ThreadedMotoServer, str]:
    """Start the server in a thread; port 0 picks a free one. Returns the server and its endpoint URL."""
    extensions.install()
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    bound_host, bound_port = server.get_host_and_port()
    return server, f"http://{bound_host}:{bound_port}"
