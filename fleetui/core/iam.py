"""The two IAM policies fleetui documents, derived from the statements each app declares in its `iam` module.

An app's `iam.py` holds `READ` (what its sync and its live checks read) and `OPERATE` (what its actions call),
lists of IAM statements in AWS's own shape. `manage.py iam_policies` writes docs/iam-readonly-policy.json and
docs/iam-operator-policy.json from them; a test keeps the files, the statements and the code's calls in step.
"""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule

VERSION = "2012-10-17"
FILES = {"READ": "iam-readonly-policy.json", "OPERATE": "iam-operator-policy.json"}


def policies() -> dict[str, dict[str, Any]]:
    """{file name: policy} with every installed app's statements, in INSTALLED_APPS order."""
    found: dict[str, list[dict[str, Any]]] = {kind: [] for kind in FILES}
    for app in apps.get_app_configs():
        if module_has_submodule(app.module, "iam"):
            module = import_module(f"{app.name}.iam")
            for kind in FILES:
                found[kind] += getattr(module, kind, [])
    return {FILES[kind]: {"Version": VERSION, "Statement": statements} for kind, statements in found.items()}
