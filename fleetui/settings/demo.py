"""The default settings: a laptop demo on SQLite and the embedded broker. DEBUG stays off unless asked for."""

import os

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, demo_secret_key

# The sandbox AWS and `manage.py demo` (they need the `sandbox` extra); production settings leave them out.
INSTALLED_APPS = [*INSTALLED_APPS, "fleetui.sandbox"]

SECRET_KEY = os.environ.get("SECRET_KEY") or demo_secret_key()
