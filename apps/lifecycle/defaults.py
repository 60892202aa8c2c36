"""Documented defaults of the lifecycle workers (docs/retention.md lists them).

The plan's retention bounds come from billing (``plan_retention_bounds``); traces and logs are
kept 1–90 days on every plan.
"""

# Sampling.
NORMAL_RATE = 100.0  # percent of ordinary sessions kept
IDLE_MINUTES = 30  # a session with no batch for this long is finished
DROP_GRACE_MINUTES = 60  # a dropped session's blobs wait this long for a late ticket link
ENDED_SETTLE_MINUTES = 2  # an explicitly ended session is decided after late batches settle

# Retention (days).
NORMAL_DAYS = 14
ERROR_DAYS = 30
TICKET_GRACE_DAYS = 30
TELEMETRY_DAYS = 14
TELEMETRY_DAYS_MIN = 1
TELEMETRY_DAYS_MAX = 90

# Work sizes: every unit of work is bounded so a killed worker loses little and locks are short.
# (The retention task also takes ``chunk`` and ``pause_ms`` arguments for a gentler run.)
DECIDE_CHUNK = 200
RETENTION_CHUNK = 100
TELEMETRY_CHUNK = 5000
ORPHAN_MIN_AGE_MINUTES = 60  # younger unreferenced blobs may belong to a write in flight
