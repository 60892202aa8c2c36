"""One worker at a time per organization and job: a PostgreSQL session-level advisory lock.

It dies with its connection, so a killed worker never leaves a stale lock behind. On databases
without advisory locks (SQLite in ``make run``, one worker) the lock is always granted.
"""

import contextlib
import zlib

from django.db import connection

JOBS = ("retention", "orphans", "audit")


def _key(job: str) -> int:
    return zlib.crc32(f"qorrelate.lifecycle.{job}".encode()) & 0x7FFFFFFF


@contextlib.contextmanager
def org_lock(job: str, organization_id: int):
    """Yields True when this process holds the lock, False when another one does."""
    if connection.vendor != "postgresql":
        yield True
        return
    args = [_key(job), int(organization_id)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", args)
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", args)
