# fleetui: `make demo` installs everything and starts the demo; `make test` installs and runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# pytest runs in TEST_WORKERS xdist processes (tests/conftest.py: XDIST_GROUPS; tests/redis_dbs.py: at most 5).
# Four on two cores: much of the suite waits on workers, moto, PostgreSQL and the browser rather than computing
# (measured side by side on a third of the suite: 223 s with four, 264 s with three).
TEST_WORKERS ?= 4
# mypy's incremental cache lives outside the checkout, so a fresh clone (CI's) starts warm where a run left it; mypy
# checks each cached module against its source, so a stale or missing cache only costs time.
MYPY_CACHE_DIR ?= $(HOME)/.cache/fleetui/mypy

.PHONY: demo test install browser services lint bench

demo: install
	$(PY) manage.py demo

test: install browser services lint
	$(PY) manage.py check
	DJANGO_SETTINGS_MODULE=fleetui.settings.test DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadgroup --durations=15

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -U pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

# Playwright drives Debian's chromium; `playwright install` cannot download browsers here.
browser:
	@[ -x /usr/bin/chromium ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

services:
	bin/ensure-services

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy --cache-dir $(MYPY_CACHE_DIR) fleetui
	$(VENV)/bin/lint-imports

bench: install services
	$(PY) -m bench
