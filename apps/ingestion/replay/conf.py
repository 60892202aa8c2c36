"""Intake limits. Each is a Django setting when set there (tests use that), else an environment
variable of the same name, else the default."""

import environ
from django.conf import settings

_env = environ.Env()

MIB = 1024 * 1024
DEFAULTS = {
    # Body limits per batch (Sentry's replay limits: 10 MiB compressed, 100 MiB decompressed).
    "REPLAY_MAX_BODY_BYTES": 10 * MIB,
    "REPLAY_MAX_DECOMPRESSED_BYTES": 100 * MIB,
    # Per-organization rate limit: batches per window (0 disables it).
    "REPLAY_RATE_LIMIT": 2000,
    "REPLAY_RATE_WINDOW_SECONDS": 10,
    # Retry-After when storage or the database is briefly unavailable.
    "REPLAY_UNAVAILABLE_RETRY_AFTER": 5,
}


def get(name: str) -> int:
    value = getattr(settings, name, None)
    if value is None:
        value = _env.int(name, default=DEFAULTS[name])
    return int(value)
