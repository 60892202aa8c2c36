"""The intakes' one rate limiter: a fixed-window count per organization and intake, on the
shared atomic primitive (``apps.core.ratelimit``: one Redis script call per request, or
Django's cache without Redis). A counter store that fails lets requests through."""

from django.conf import settings
from django.core.cache import cache

from apps.core import ratelimit

from .errors import IntakeError
from .limits import Limits


def throttle(*, scope: str, organization_id: int, limits: Limits, noun: str) -> None:
    """Count one request of ``scope`` ("replay", "otlp"); IntakeError 429 over the limit."""
    if limits.rate_limit <= 0:
        return
    hit = ratelimit.hit(
        ratelimit.counter_for(settings.REDIS_URL, cache),
        key=f"qorrelate:{scope}-rate:{organization_id}",
        limit=limits.rate_limit,
        window=limits.rate_window_seconds,
    )
    if hit.over:
        raise IntakeError(
            429,
            "rate_limited",
            f"Too many {noun} for this organization (over {limits.rate_limit} in "
            f"{limits.rate_window_seconds} s); retry after {hit.retry_after} s.",
            retry_after=hit.retry_after,
        )
