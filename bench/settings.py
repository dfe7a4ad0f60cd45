"""Benchmark settings: the real PostgreSQL database `fleetui_bench`, Celery not eager, DEBUG off.

The benchmark measures the product as deployed, so nothing here speeds things up or slows them down
compared with production, except static files (no manifest, so no collectstatic is needed).
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/fleetui_bench")

from fleetui.settings.base import *  # noqa: F403
from fleetui.settings.base import ALLOWED_HOSTS, INSTALLED_APPS, LOGGING

SECRET_KEY = "bench-only-" + "x" * 50
# For `manage.py sandbox`, which the benchmark starts with these settings. The app has no models, views or
# middleware, so the product under measurement is the same as in production.
INSTALLED_APPS = [*INSTALLED_APPS, "fleetui.sandbox"]
DEBUG = False
# django.test.Client talks to the host "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")}}
