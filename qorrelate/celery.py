"""The Celery application. Periodic tasks come from each app's ``schedule.BEAT_SCHEDULE``."""

import importlib
import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorrelate.settings")

app = Celery("qorrelate")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def collect_beat_schedule() -> dict:
    from django.conf import settings

    schedule: dict = {}
    for name in settings.INSTALLED_APPS:
        if not name.startswith("apps."):
            continue
        try:
            module = importlib.import_module(f"{name}.schedule")
        except ModuleNotFoundError as exc:
            if exc.name != f"{name}.schedule":
                raise
            continue
        schedule.update(getattr(module, "BEAT_SCHEDULE", {}))
    return schedule


@app.on_after_finalize.connect
def _install_beat_schedule(sender, **kwargs):
    sender.conf.beat_schedule = {**collect_beat_schedule(), **(sender.conf.beat_schedule or {})}


@beat_init.connect
def _ensure_broker_folders(sender=None, **kwargs):
    _make_broker_dirs()


def _make_broker_dirs():
    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)
