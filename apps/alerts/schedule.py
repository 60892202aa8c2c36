"""Periodic alerts work, merged into Celery beat by qorrelate/celery.py."""

BEAT_SCHEDULE = {
    "alerts-evaluate": {
        "task": "apps.alerts.tasks.evaluate_alerts",
        "schedule": 60.0,
    },
}
