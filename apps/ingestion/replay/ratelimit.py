"""Per-organization rate limit for replay batches: fixed windows counted in Redis (one script
call: INCR, and EXPIRE on the window's first batch), or in Django's cache when there is no
Redis (``make run``).

If the counter store fails, batches go through: a moment without a rate limit is better than
refusing recordings.
"""

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

from . import conf

logger = logging.getLogger(__name__)
_client = None
_script = None
# One command per batch instead of a MULTI-less pipeline of two (a pipeline object per call
# was most of the limiter's CPU); the first batch of a window sets its expiry, atomically.
COUNT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


def _redis():
    global _client, _script
    if _client is None:
        import redis

        _client = redis.Redis.from_url(
            settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1
        )
        _script = _client.register_script(COUNT_SCRIPT)
    return _client


def retry_after(*, organization_id: int) -> int | None:
    """Count one batch; seconds to wait if the organization is over its limit, else None."""
    limit = conf.get("REPLAY_RATE_LIMIT")
    if limit <= 0:
        return None
    window = max(1, conf.get("REPLAY_RATE_WINDOW_SECONDS"))
    now = time.time()
    bucket = int(now // window)
    key = f"qorrelate:replay-rate:{organization_id}:{window}:{bucket}"
    try:
        count = _count(key, window)
    except Exception:
        logger.warning("replay rate limit: counter store unavailable", exc_info=True)
        return None
    if count <= limit:
        return None
    return max(1, math.ceil((bucket + 1) * window - now))


def _count(key: str, window: int) -> int:
    if settings.REDIS_URL:
        _redis()
        return int(_script(keys=[key], args=[window + 1]))
    if cache.add(key, 1, timeout=window + 1):
        return 1
    return int(cache.incr(key))
