"""Settings shared by every deployment. Everything that differs between machines comes from the environment."""

import os
import secrets
from pathlib import Path

import dj_database_url
from kombu import Exchange, Queue

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("FLEETUI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def demo_secret_key() -> str:
    """The demo's key: generated once into var/, so sessions survive restarts without a key in the repo."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_tables2",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "fleetui.core",
    "fleetui.inventory",
    "fleetui.actions",
    # One app per AWS service: adding a service adds its line here.
    "fleetui.ec2",
    "fleetui.beanstalk",
    "fleetui.ecs",
    "fleetui.eks",
    "fleetui.emr",
    "fleetui.batch",
    "fleetui.lambda_",
    "fleetui.apigateway",
    "fleetui.stacks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "fleetui.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fleetui.core.middleware.RoleRequiredMiddleware",
    "fleetui.core.preferences.PreferencesMiddleware",
    "fleetui.core.middleware.QuickAwsCallsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "fleetui.urls"
WSGI_APPLICATION = "fleetui.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fleetui.core.context_processors.fleetui",
                "fleetui.inventory.context_processors.freshness",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'fleetui.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the worker write the same file: WAL lets readers run beside one writer,
    # and IMMEDIATE transactions queue writers instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "inventory:overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not from the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes DRF answer a request without credentials 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["fleetui.core.roles.IsViewer"],
    "DEFAULT_FILTER_BACKENDS": ["fleetui.core.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "fleetui.core.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "fleetui API",
    "DESCRIPTION": "Read the AWS compute inventory that fleetui keeps. Every list takes the same filters as its page.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The docs page loads Swagger UI from our static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two models have a `status` field with different choices: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "ActionStatusEnum": "fleetui.actions.models.Action.Status",
        "SyncRunStatusEnum": "fleetui.inventory.models.SyncRun.Status",
    },
}

DJANGO_TABLES2_TEMPLATE = "components/table.html"

# Celery. The embedded default is kombu's filesystem transport under var/: a real worker process
# and no server to install. Production points CELERY_BROKER_URL at Redis or RabbitMQ.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # kombu's default is a relative "control" folder in whatever directory the process started in.
        "control_folder": str(_broker_dir / "control"),
    }
    # kombu lists the queue folder on every poll and fails if it does not exist yet.
    (_broker_dir / "queue").mkdir(parents=True, exist_ok=True)
else:
    # Longer than the longest task, so Redis does not hand an unacked task to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(os.environ.get("FLEETUI_VISIBILITY_TIMEOUT", 7200))}
# Two queues, so an action never waits behind the periodic sync: `actions` (actions, the targeted re-syncs they
# make, the recovery of lost ones) and `sync` (the periodic sync's scopes, and any task not routed). A worker
# started without -Q consumes both; production runs one worker per queue (`-Q actions`, `-Q sync`), so the sync
# can never take the actions' processes (docker-compose.yml, `manage.py demo`).
FLEETUI_ACTIONS_QUEUE, FLEETUI_SYNC_QUEUE = "actions", "sync"
CELERY_TASK_QUEUES = [Queue(q, Exchange(q), routing_key=q) for q in (FLEETUI_ACTIONS_QUEUE, FLEETUI_SYNC_QUEUE)]
CELERY_TASK_DEFAULT_QUEUE = FLEETUI_SYNC_QUEUE
CELERY_TASK_ROUTES = {
    "actions.*": {"queue": FLEETUI_ACTIONS_QUEUE},
    "inventory.sync_ids": {"queue": FLEETUI_ACTIONS_QUEUE},
    "inventory.*": {"queue": FLEETUI_SYNC_QUEUE},
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("FLEETUI_TASK_SOFT_TIME_LIMIT", 1800))
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# fleetui
FLEETUI_REGIONS = env_list("FLEETUI_REGIONS")
FLEETUI_SYNC_INTERVAL = int(os.environ.get("FLEETUI_SYNC_INTERVAL", 300))
# A scope whose last success is older than this many intervals is shown as stale.
FLEETUI_STALE_AFTER = FLEETUI_SYNC_INTERVAL * 3
# Inventory history (fleetui/inventory/history/): every sync records what it added, changed and marked gone;
# records older than FLEETUI_HISTORY_DAYS days (and superseded) are pruned hourly by beat.
FLEETUI_HISTORY = os.environ.get("FLEETUI_HISTORY", "true").lower() not in ("0", "false", "no", "off")
FLEETUI_HISTORY_DAYS = int(os.environ.get("FLEETUI_HISTORY_DAYS", 400))

# Actions (fleetui/actions/engine.py): a running action's worker touches its heartbeat every
# FLEETUI_ACTION_HEARTBEAT s; a redelivered task takes the action over once the heartbeat is older than
# FLEETUI_ACTION_STALE_AFTER s, at most FLEETUI_ACTION_MAX_DELIVERIES times in all.
FLEETUI_ACTION_HEARTBEAT = int(os.environ.get("FLEETUI_ACTION_HEARTBEAT", 5))
FLEETUI_ACTION_STALE_AFTER = int(os.environ.get("FLEETUI_ACTION_STALE_AFTER", 30))
FLEETUI_ACTION_MAX_DELIVERIES = int(os.environ.get("FLEETUI_ACTION_MAX_DELIVERIES", 3))
# An action may take longer than a sync scope (an AMI copy, a placement move in many batches): its own soft limit,
# with the hard one a minute later. The Redis visibility_timeout (FLEETUI_VISIBILITY_TIMEOUT) must stay above both.
FLEETUI_ACTION_TIME_LIMIT = int(os.environ.get("FLEETUI_ACTION_TIME_LIMIT", 3600))
# `actions.recover` (every minute) re-sends actions still pending after this many seconds.
FLEETUI_ACTION_PENDING_RESEND = int(os.environ.get("FLEETUI_ACTION_PENDING_RESEND", 60))
# How long an action waits for AWS to reach a state (instances running, an image available), and how often it looks.
FLEETUI_ACTION_WAIT_TIMEOUT = int(os.environ.get("FLEETUI_ACTION_WAIT_TIMEOUT", 900))
FLEETUI_ACTION_POLL_INTERVAL = float(os.environ.get("FLEETUI_ACTION_POLL_INTERVAL", 2))
FLEETUI_ACTION_REASON_REQUIRED = os.environ.get("FLEETUI_ACTION_REASON_REQUIRED", "true").lower() not in (
    "0",
    "false",
    "no",
)
# Tags every launch must carry (the tag policy); empty the variable to require none.
FLEETUI_REQUIRED_TAGS = env_list("FLEETUI_REQUIRED_TAGS", default="Name,Owner")
# After a blue/green swap the old production environment is the standby: fleetui refuses to terminate it for this
# many seconds, because DNS resolvers and clients keep the old CNAME answer for their TTL and often longer.
FLEETUI_BEANSTALK_DNS_GRACE = int(os.environ.get("FLEETUI_BEANSTALK_DNS_GRACE", 3600))
# How long a swap waits to see both environments Ready with their CNAMEs exchanged before it fails.
FLEETUI_BEANSTALK_SWAP_TIMEOUT = int(os.environ.get("FLEETUI_BEANSTALK_SWAP_TIMEOUT", 600))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "fleetui.core.logs.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "botocore": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
        "django.request": {"filters": ["one_line_refusals"]},
    },
}
