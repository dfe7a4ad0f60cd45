"""Settings for the real Celery worker that the `worker` tests start: the test settings without eager mode.

The broker comes from CELERY_BROKER_URL (Redis in those tests) and the database from DATABASE_URL
(the pytest-django test database), both set by the test that starts the worker.
"""

from .base import env_list
from .test import *  # noqa: F403
from .test import FLEETUI_REGIONS as TEST_REGIONS

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
FLEETUI_REGIONS = env_list("FLEETUI_REGIONS") or TEST_REGIONS
