"""Moving Redis usage counters into the PostgreSQL daily rollups, exactly once.

1. Claim: each live hash is atomically RENAMEd to a flush key carrying a fresh uuid and put in
   the pending set (a Lua script, so no increment falls between reading and resetting).
2. Apply: in one transaction, insert the flush key into UsageFlush (unique) and add the hash
   to the rollups. A flush key already in UsageFlush was applied before: nothing is added.
3. Forget: after the commit, delete the flush key and take it out of the pending set.

A crash before the commit rolls the transaction back and leaves the flush key pending: the next
flush applies it. A crash after the commit leaves it pending too, but UsageFlush remembers it,
so the retry only forgets it. Either way every increment is counted once.
"""

import logging
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.orgs.models import Organization

from . import counters, rollups
from .channel import channel
from .models import UsageFlush

logger = logging.getLogger(__name__)

# UsageFlush rows only need to outlive the retries of their flush key.
FLUSH_MEMORY = timedelta(days=14)


def flush_usage_counters() -> int:
    """Flush every counter; returns how many flush keys were applied (or found applied)."""
    conn = counters.client()
    if conn is None:
        return 0
    channel().barrier()  # this process's own increments are in Redis before we claim
    for live in sorted(conn.smembers(counters.INDEX)):
        counters.claim(conn, live.decode())
    done = 0
    for flush_key in sorted(conn.smembers(counters.PENDING)):
        apply_flush_key(conn, flush_key.decode())
        done += 1
    return done


def apply_flush_key(conn, flush_key: str) -> bool:
    """Apply one claimed hash; returns False when it had been applied already."""
    organization_id, day = counters.parse_flush_key(flush_key)
    amounts = counters.decode_hash(conn.hgetall(flush_key))
    applied = False
    if amounts and Organization.objects.filter(pk=organization_id).exists():
        applied = _apply_to_database(flush_key, organization_id, day, amounts)
    _forget(conn, flush_key)
    return applied


def _apply_to_database(flush_key: str, organization_id: int, day, amounts: dict) -> bool:
    with transaction.atomic():
        try:
            with transaction.atomic():
                UsageFlush.objects.create(flush_id=flush_key, organization_id=organization_id)
        except IntegrityError:
            logger.info("usage flush %s was applied before; not adding it again", flush_key)
            return False
        rollups.add(organization_id=organization_id, day=day, amounts=amounts)
    return True


def _forget(conn, flush_key: str) -> None:
    pipe = conn.pipeline(transaction=True)
    pipe.incr(counters.GEN)
    pipe.delete(flush_key)
    pipe.srem(counters.PENDING, flush_key)
    pipe.execute()


def prune_flush_memory() -> int:
    deleted, _ = UsageFlush.objects.filter(applied_at__lt=timezone.now() - FLUSH_MEMORY).delete()
    return deleted
