"""Periodic insights work, merged into Celery beat by qorrelate/celery.py."""

BEAT_SCHEDULE = {
    "insights-detect-due-sessions": {
        "task": "apps.insights.tasks.detect_due_sessions",
        "schedule": 60.0,
    },
}
