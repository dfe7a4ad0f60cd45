"""A stand-alone moto server with fleetui's extensions, for when `manage.py sandbox` is not available.

`python -m bench.moto_process --port P` prints `sandbox ready on <url>` and serves until killed.
"""

import argparse
import contextlib
import signal
import threading

from fleetui.sandbox.server import start_server


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server, url = start_server(port=args.port)
    print(f"sandbox ready on {url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
