import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fleetui.core.iam import policies


def policy_text(policy: dict[str, Any]) -> str:
    return json.dumps(policy, indent=2) + "\n"


class Command(BaseCommand):
    help = "Write docs/iam-readonly-policy.json and docs/iam-operator-policy.json from the apps' `iam` modules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Fail if a file differs; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        docs = Path(settings.BASE_DIR) / "docs"
        stale = []
        for name, policy in policies().items():
            path, text = docs / name, policy_text(policy)
            if path.exists() and path.read_text() == text:
                continue
            stale.append(name)
            if not options["check"]:
                path.write_text(text)
                self.stdout.write(f"wrote docs/{name}")
        if options["check"] and stale:
            raise CommandError(f"Out of date: {', '.join(stale)}. Run `manage.py iam_policies`.")
