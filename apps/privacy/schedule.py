"""Periodic masking audits, merged into Celery beat by qorrelate/celery.py."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "privacy-audit-new-sessions": {
        "task": "privacy.audit_new_sessions",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    "privacy-nightly-sample": {
        "task": "privacy.nightly",
        "schedule": crontab(hour=2, minute=41),
    },
}
