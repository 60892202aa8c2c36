"""Periodic replay work, merged into Celery beat by qorrelate/celery.py."""

BEAT_SCHEDULE = {
    "replay-compact-due-sessions": {
        "task": "apps.replay.tasks.compact_due_sessions",
        "schedule": 120.0,
    },
}
