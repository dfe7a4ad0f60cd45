"""Content-Security-Policy: every answer forbids inline script, and no template of any app needs it (a template that
did would break under the header: its script would not run)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

# <script> without src (a JSON data block is not run), an on…= handler, a javascript: URL, htmx's evaluated forms.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
EVALUATED = re.compile(r"javascript:|hx-on|hx-vals=[\"']js:|hx-vars=|hx-trigger=\"[^\"]*\[", re.IGNORECASE)


def _templates() -> list[Path]:
    roots = [Path(d) for engine in settings.TEMPLATES for d in engine.get("DIRS", [])]
    roots += [Path(app.path) / "templates" for app in apps.get_app_configs() if app.name.startswith("fleetui.")]
    return sorted(path for root in roots if root.is_dir() for path in root.rglob("*.html"))


def test_no_template_holds_inline_script_or_handlers():
    templates = _templates()
    assert len(templates) > 30  # every app's templates were found
    found = [
        f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)[:80]}"
        for path in templates
        for pattern in (INLINE_SCRIPT, HANDLER, EVALUATED)
        for match in pattern.finditer(path.read_text())
    ]
    assert found == []


def test_the_patterns_catch_what_they_are_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>") and not INLINE_SCRIPT.search('<script src="/a.js">')
    assert HANDLER.search('<button type="button" onclick="go()">') and not HANDLER.search("<p>one=two</p>")
    assert EVALUATED.search('<a href="javascript:history.back()">')
    assert EVALUATED.search('<div hx-trigger="every 5s [!this.open]">')


@pytest.mark.parametrize("name", ["login", "inventory:overview", "ec2:instance_list", "api:docs"])
def test_every_answer_carries_the_policy(viewer_client, name):
    answer = viewer_client.get(reverse(name))
    policy = answer["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_the_api_docs_page_loads_its_script_from_a_file(viewer_client):
    html = viewer_client.get(reverse("api:docs")).content.decode()
    assert not INLINE_SCRIPT.search(html)
