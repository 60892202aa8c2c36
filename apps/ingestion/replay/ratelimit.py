"""Per-organization rate limit for replay batches: fixed windows counted by the shared atomic
limiter (``apps.core.ratelimit``: one Redis script call per batch), or in Django's cache when
there is no Redis (``make run``).

If the counter store fails, batches go through: a moment without a rate limit is better than
refusing recordings.
"""

from django.conf import settings
from django.core.cache import cache

from apps.core import ratelimit

from . import conf


def retry_after(*, organization_id: int) -> int | None:
    """Count one batch; seconds to wait if the organization is over its limit, else None."""
    limit = conf.get("REPLAY_RATE_LIMIT")
    if limit <= 0:
        return None
    return ratelimit.hit(
        ratelimit.counter_for(settings.REDIS_URL, cache),
        key=f"qorrelate:replay-rate:{organization_id}",
        limit=limit,
        window=conf.get("REPLAY_RATE_WINDOW_SECONDS"),
    ).retry_after
