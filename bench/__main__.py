"""`python -m bench`: seed N instances into a sandbox process, measure, and print one table.

Exit status is non-zero only when the benchmark itself fails; a missed target prints FAIL.
"""

import argparse
import os
import sys
import time
import warnings

from .actions import DEFAULT_BROKER
from .services import service_measures

BUILT_IN = ["sync", "list", "actions", "queues"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--instances", type=int, default=10_000, help="instances seeded into moto (default 10000)")
    parser.add_argument("--list-rows", type=int, default=100_000, help="Instance rows for the list (default 100000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of the fetch and the sync (median)")
    parser.add_argument("--list-requests", type=int, default=30, help="timed requests per list page (default 30)")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument("--skip-sync", action="store_true", help="only measure the list (d)")
    parser.add_argument("--skip-list", action="store_true", help="only measure the fetch and the sync (a, b, c, e)")
    parser.add_argument("--skip-actions", action="store_true", help="do not measure the actions (f, g)")
    parser.add_argument(
        "--skip-queues", action="store_true", help="do not measure actions beside a full sync, nor recovery (f2, k)"
    )
    services = {module.NAME: module.HELP for module in service_measures()}
    parser.add_argument(
        "--only",
        choices=BUILT_IN + list(services),
        help="only these rows: "
        + "; ".join(
            ["sync: a-c, e", "list: d", "actions: f, g", "queues: f2, k"]
            + [f"{n}: {text}" for n, text in services.items()]
        ),
    )
    parser.add_argument("--actions", type=int, default=30, help="timed actions for click-to-started (default 30)")
    parser.add_argument("--progress-updates", type=int, default=20, help="progress writes timed (default 20)")
    parser.add_argument(
        "--broker",
        default=os.environ.get("FLEETUI_BENCH_BROKER", DEFAULT_BROKER),
        help=f"Redis broker of the actions' worker (default {DEFAULT_BROKER}, or FLEETUI_BENCH_BROKER)",
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one full sync")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of each page's slowest query")
    args = parser.parse_args(argv)
    args.services = [name for name in services if args.only in (None, name)]
    if args.only:
        args.skip_sync, args.skip_list, args.skip_actions, args.skip_queues = (args.only != name for name in BUILT_IN)
    return args


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    # Actions are requested in this process and run by a worker: both must use the same real broker.
    os.environ["CELERY_BROKER_URL"] = args.broker
    # WhiteNoise warns that STATIC_ROOT was never collected; the list pages do not need it.
    warnings.filterwarnings("ignore", message="No directory at")
    from .database import database_recreate

    log(f"recreating database {database_recreate()}")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    from .run import list_measure, sync_measure
    from .table import table_format

    rows, raw = [], []
    if not args.skip_sync:
        from .sandbox import sandbox_process

        with sandbox_process() as endpoint:
            log(f"sandbox (manage.py sandbox) at {endpoint}")
            sync_rows, sync_raw = sync_measure(
                endpoint=endpoint,
                region=args.region,
                instances=args.instances,
                repeat=args.repeat,
                profile=args.profile,
                log=log,
            )
        rows += sync_rows
        raw += sync_raw
    if not args.skip_list:
        list_rows, list_raw = list_measure(
            count=args.list_rows, requests=args.list_requests, explain=args.explain, log=log
        )
        rows += list_rows
        raw += list_raw
    if not args.skip_actions:
        from .actions import actions_measure
        from .sandbox import sandbox_process

        with sandbox_process() as endpoint:
            log(f"sandbox for the actions at {endpoint}")
            action_rows, action_raw = actions_measure(
                endpoint=endpoint,
                region=args.region,
                broker=args.broker,
                count=args.actions,
                updates=args.progress_updates,
                log=log,
            )
        rows += action_rows
        raw += action_raw
    if not args.skip_queues:
        from .queues import queues_measure
        from .sandbox import sandbox_process

        with sandbox_process() as endpoint:
            log(f"sandbox for the queues at {endpoint}")
            queue_rows, queue_raw = queues_measure(
                endpoint=endpoint,
                region=args.region,
                broker=args.broker,
                instances=args.instances,
                count=args.actions,
                log=log,
            )
        rows += queue_rows
        raw += queue_raw
    for module in service_measures():
        if module.NAME in args.services:
            from .sandbox import sandbox_process

            with sandbox_process() as endpoint:
                log(f"sandbox for {module.NAME} at {endpoint}")
                more_rows, more_raw = module.measure(endpoint=endpoint, region=args.region, repeat=args.repeat, log=log)
            rows += more_rows
            raw += more_raw
    print("\nraw numbers:")
    print("\n".join(f"  {line}" for line in raw))
    print()
    print(table_format(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
