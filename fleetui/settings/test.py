"""Tests run on the real PostgreSQL and Redis on 127.0.0.1 unless DATABASE_URL says otherwise."""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fleetui")

from .base import *  # noqa: F403
from .base import DATABASES, INSTALLED_APPS

# The tests drive the sandbox AWS (`manage.py sandbox`, `manage.py demo`); production settings leave it out.
INSTALLED_APPS = [*INSTALLED_APPS, "fleetui.sandbox"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A test database is thrown away: a commit need not wait for its WAL to reach the disk (about 2 ms a commit
    # here, and the `transaction=True` tests and the workers they start commit thousands of times).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"

SECRET_KEY = "test-only-" + "x" * 50
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests serve static files from the app folders (no collectstatic into var/).
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
# Unit tests run tasks inline; tests marked `worker` start a real worker on Redis instead.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
FLEETUI_REGIONS = ["us-east-1", "eu-west-1"]
# The sandbox answers at once: poll it often, so action tests take seconds.
FLEETUI_ACTION_POLL_INTERVAL = 0.1
