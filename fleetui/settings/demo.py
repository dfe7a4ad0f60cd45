"""The default settings: a laptop demo on SQLite and the embedded broker. DEBUG stays off unless asked for."""

import os

from .base import *  # noqa: F403
from .base import demo_secret_key

SECRET_KEY = os.environ.get("SECRET_KEY") or demo_secret_key()
