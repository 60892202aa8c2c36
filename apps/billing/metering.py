"""Counting usage on the hot path: HINCRBY + SADD written to Redis without waiting for the
reply (see channel.py), so a count costs one socket write.

Without Redis (``make run``'s embedded default) the count goes straight into the daily rollup
with one upsert. If Redis fails, the count also goes to the database rather than being lost.
Callers record after their own write is accepted (committed), so counts equal accepted items.
"""

import logging

import redis

from . import counters, rollups
from .channel import channel
from .models import Metric
from .periods import utc_today

logger = logging.getLogger(__name__)

METRICS = frozenset(Metric.values)


def record(*, organization_id: int, metric: str, amount: int) -> None:
    if metric not in METRICS:
        raise ValueError(f"unknown usage metric {metric!r}")
    if amount <= 0:
        return
    day = utc_today()
    ch = channel()
    if ch is not None:
        try:
            counters.incr(ch, organization_id, day, metric, amount)
            return
        except redis.RedisError:
            logger.warning("usage counter: Redis unavailable, writing the rollup directly")
    rollups.add(organization_id=organization_id, day=day, amounts={metric: amount})
