"""Periodic ticket work, merged into Celery beat by qorrelate/celery.py."""

BEAT_SCHEDULE = {
    "tickets-autolink-late-sessions": {
        "task": "apps.tickets.tasks.autolink_sweep",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
}
