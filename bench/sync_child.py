"""A full instances sync alone in this process, so its peak RSS is the sync's (plus Django's baseline).

`python -m bench.sync_child --account A --region R` prints one JSON line: seconds, VmHWM and the run counts.
"""

import argparse
import json
import os
import time


def vm_hwm_mib() -> float:
    """The process's peak resident set size, from /proc/self/status (kB)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--account", required=True, help="12-digit account id")
    parser.add_argument("--region", required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from fleetui.inventory.models import Account

    from .sync import sync_run

    baseline = vm_hwm_mib()
    started = time.perf_counter()
    run = sync_run(account=Account.objects.get(account_id=args.account), region=args.region)
    report = {
        "seconds": time.perf_counter() - started,
        "baseline_mib": baseline,
        "vm_hwm_mib": vm_hwm_mib(),
        "added": run.added,
        "seen": run.seen,
    }
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main()
