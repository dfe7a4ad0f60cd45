"""The benchmark's sandbox process: moto with fleetui's extensions (as `manage.py sandbox --no-seed` has), plus
the benchmark's tag-lookup speed-up (bench/moto_speed.py) unless `--stock` is given.

`python -m bench.moto_process --port P` prints `sandbox ready on <url>` and serves until SIGTERM.
"""

import argparse
import contextlib
import signal
import threading

from fleetui.sandbox.server import start_server

from .moto_speed import tag_lookup_install


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--stock", action="store_true", help="without the benchmark's moto speed-up")
    args = parser.parse_args()
    server, url = start_server(port=args.port)
    if not args.stock:
        print(f"tag lookup speed-up installed: {tag_lookup_install()}", flush=True)
    print(f"sandbox ready on {url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
