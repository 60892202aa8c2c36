from celery.schedules import crontab

BEAT_SCHEDULE = {
    "billing-flush-usage": {
        "task": "billing.flush_usage",
        "schedule": 60.0,
        # A backlog of flushes is one flush: a late one would find nothing new to do.
        "options": {"expires": 55},
    },
    "billing-generate-invoices": {
        "task": "billing.generate_invoices",
        # Daily rather than monthly: a missed run is caught up the next night.
        "schedule": crontab(hour=0, minute=20),
        "options": {"expires": 6 * 3600},
    },
}
