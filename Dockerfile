# fleetui's production image: the web server, the Celery worker and beat all run from it (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # The code runs from /app, where templates/ and static/ sit beside the package (settings.BASE_DIR).
    PYTHONPATH=/app \
    FLEETUI_VAR_DIR=/app/var \
    DJANGO_SETTINGS_MODULE=fleetui.settings.production

WORKDIR /app
RUN useradd --system --create-home --uid 10001 fleetui

# Installs the dependencies (and a copy of the package that PYTHONPATH=/app shadows with the same code).
COPY pyproject.toml README.md ./
COPY fleetui ./fleetui
RUN pip install .

COPY manage.py ./
COPY templates ./templates
COPY static ./static

# whitenoise serves the hashed files that collectstatic writes; it needs settings, not the real secret.
RUN SECRET_KEY="collectstatic-only-$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    CELERY_BROKER_URL=redis://unused:6379/0 \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var \
    && chown -R fleetui:fleetui /app/var

USER fleetui
EXPOSE 8000
CMD ["gunicorn", "fleetui.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
