"""Periodic lifecycle work, merged into Celery beat by qorrelate/celery.py."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "lifecycle-sampling-sweep": {
        "task": "lifecycle.sampling_sweep",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "lifecycle-retention-daily": {
        "task": "lifecycle.retention_daily",
        "schedule": crontab(hour=3, minute=17),
    },
}
