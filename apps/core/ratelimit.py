"""Fixed-window rate limits, counted atomically.

One Redis script call per hit: INCRBY, and EXPIRE on the window's first hit, so concurrent
clients on any number of processes see one exact count (a read-modify-write of a cached list,
as DRF's default throttle does, lets parallel requests through). Without Redis (``make run``)
a cache object with ``add`` and ``incr`` (Django's cache API) counts instead.

Django-free on purpose: the replay and OTLP intakes, the REST API and the sign-in throttles
all share this primitive and pass in their own counter and limits.

A counter store that fails lets the hit through (``Hit.allowed``) and logs a warning: a moment
without a rate limit is better than refusing every request.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import Protocol

logger = logging.getLogger(__name__)

# One command per hit instead of a pipeline of two (a pipeline object per call was most of the
# replay limiter's CPU); the first hit of a window sets its expiry, atomically.
COUNT_SCRIPT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


class Counter(Protocol):
    def incr(self, key: str, *, ttl: int, amount: int = 1) -> int:
        """Add ``amount`` to ``key`` (created with ``ttl`` seconds to live); the new count."""


class RedisCounter:
    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._script = self.client.register_script(COUNT_SCRIPT)

    def incr(self, key: str, *, ttl: int, amount: int = 1) -> int:
        return int(self._script(keys=[key], args=[ttl, amount]))


class CacheCounter:
    """A cache with ``add(key, value, timeout)`` and ``incr(key, delta)`` (Django's API)."""

    def __init__(self, cache):
        self.cache = cache

    def incr(self, key: str, *, ttl: int, amount: int = 1) -> int:
        if self.cache.add(key, amount, timeout=ttl):
            return amount
        return int(self.cache.incr(key, amount))


_counters: dict[str, RedisCounter] = {}
_counters_lock = threading.Lock()


def counter_for(redis_url: str, cache=None) -> Counter:
    """The Redis counter for ``redis_url`` (one client per URL and process), else ``cache``'s."""
    if not redis_url:
        if cache is None:
            raise ValueError("Without a Redis URL a cache is needed to count in.")
        return CacheCounter(cache)
    counter = _counters.get(redis_url)
    if counter is None:
        with _counters_lock:
            counter = _counters.get(redis_url) or RedisCounter(redis_url)
            _counters[redis_url] = counter
    return counter


@dataclass(frozen=True, slots=True)
class Hit:
    count: int
    limit: int
    reset_in: int  # seconds until this window ends
    over: bool

    @property
    def allowed(self) -> bool:
        return not self.over

    @property
    def retry_after(self) -> int | None:
        """Seconds to wait when over the limit, else None."""
        return self.reset_in if self.over else None

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.count)


def hit(
    counter: Counter,
    *,
    key: str,
    limit: int,
    window: int,
    amount: int = 1,
    now: float | None = None,
) -> Hit:
    """Count ``amount`` against ``key`` in the current ``window``-second window.

    ``limit`` <= 0 means unlimited (nothing is counted). The stored key is
    ``{key}:{window}:{window number}``, so a changed window never reads an old count.
    """
    window = max(1, int(window))
    now = time.time() if now is None else now
    bucket = int(now // window)
    reset_in = max(1, math.ceil((bucket + 1) * window - now))
    if limit <= 0:
        return Hit(count=0, limit=0, reset_in=reset_in, over=False)
    try:
        count = counter.incr(f"{key}:{window}:{bucket}", ttl=window + 1, amount=amount)
    except Exception:
        logger.warning("rate limit: counter store unavailable (%s)", key, exc_info=True)
        return Hit(count=0, limit=limit, reset_in=reset_in, over=False)
    return Hit(count=count, limit=limit, reset_in=reset_in, over=count > limit)


def parse_rate(rate: str) -> tuple[int, int]:
    """``"1200/min"`` → (1200, 60); also ``/s``, ``/sec``, ``/m``, ``/h``, ``/hour``, ``/day``,
    and ``"100/10s"``. ``"0"`` or ``"off"`` → (0, 60): unlimited."""
    text = rate.strip().lower()
    if text in ("", "0", "off", "none"):
        return 0, 60
    count, _, period = text.partition("/")
    units = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60}
    units |= {"h": 3600, "hour": 3600, "d": 86400, "day": 86400}
    digits = "".join(ch for ch in period if ch.isdigit())
    unit = period[len(digits) :] if period.startswith(digits) else period
    if unit not in units:
        raise ValueError(f"Unknown rate {rate!r}; write it as 1200/min or 100/10s.")
    return int(count), units[unit] * (int(digits) if digits else 1)
