"""The Celery app. Workers on many machines share one broker; every task is safe to run on any of them."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fleetui.settings.demo")

app = Celery("fleetui")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def schedule_periodic_sync(sender: Celery, **kwargs: object) -> None:
    from django.conf import settings

    sender.add_periodic_task(settings.FLEETUI_SYNC_INTERVAL, sender.signature("inventory.sync_all"), name="sync-all")
    sender.add_periodic_task(60, sender.signature("actions.recover"), name="actions-recover")
    sender.add_periodic_task(3600, sender.signature("inventory.history_prune"), name="history-prune")
