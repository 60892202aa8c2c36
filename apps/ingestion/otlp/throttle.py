"""A per-organization request budget for OTLP intake (fixed one-minute windows in the cache).

``OTLP_REQUESTS_PER_MINUTE`` (setting; 0 turns it off) bounds how hard one tenant can hit the
intake. The cache is Redis in production; if it fails, requests go through: losing the
throttle for a moment is better than refusing telemetry.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)
DEFAULT_REQUESTS_PER_MINUTE = 6000
WINDOW = 60


def limit() -> int:
    return int(getattr(settings, "OTLP_REQUESTS_PER_MINUTE", DEFAULT_REQUESTS_PER_MINUTE))


def retry_after(*, organization_id: int) -> int | None:
    """Seconds to wait when this organization is over its budget, else None (and count it)."""
    budget = limit()
    if budget <= 0:
        return None
    now = time.time()
    window = int(now // WINDOW)
    key = f"otlp:rate:{organization_id}:{window}"
    try:
        if cache.add(key, 1, timeout=WINDOW + 5):
            return None
        count = cache.incr(key)
    except Exception:  # the cache is an optimisation here, never a reason to refuse data
        logger.warning("OTLP throttle cache unavailable", exc_info=True)
        return None
    if count <= budget:
        return None
    return max(1, int((window + 1) * WINDOW - now))
