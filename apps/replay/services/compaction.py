"""Merging a session's batches into segment blobs, so playback and storage make few requests.

Order matters for durability: the segment blob is written, then (in one transaction, with the
batch rows locked) the segment row is created and the batches point at it, then the batch blobs
are deleted. A crash anywhere leaves either the batches readable as they were, or the segment
readable plus some unreferenced blobs. Two compactions of one session cannot both win: the
loser sees the rows taken, rolls back and deletes only its own (uniquely named) segment blob.
"""

import logging
import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from apps.orgs.models import Organization

from ..models import Batch, Segment, Session
from ..storage import blobs, keys

logger = logging.getLogger(__name__)

SEGMENT_MAX_RAW_BYTES = 8 * 1024 * 1024
SEGMENT_MAX_BATCHES = 500
# An open session is compacted once it has this many batches older than COMPACT_AFTER.
COMPACT_MIN_BATCHES = 6
COMPACT_AFTER = timedelta(minutes=2)


class _LostRace(Exception):
    pass


def session_compact(*, organization: Organization, session: Session) -> list[Segment]:
    """Compact every not-yet-compacted batch of the session (groups of two or more), each
    window (tab) on its own: a segment holds one window's batches in its seq order."""
    pending = list(
        Batch.objects.filter(organization=organization, session=session, segment__isnull=True)
        .order_by("window_id", "seq")
        .only(
            "pk",
            "window_id",
            "seq",
            "key",
            "event_count",
            "first_ms",
            "last_ms",
            "bytes",
            "raw_bytes",
        )
    )
    by_window: dict[str, list[Batch]] = {}
    for batch in pending:
        by_window.setdefault(batch.window_id, []).append(batch)
    groups = [group for batches in by_window.values() for group in _groups(batches)]
    segments = []
    for group in groups:
        segment = _compact_group(organization, session, group)
        if segment is not None:
            segments.append(segment)
    return segments


def _groups(batches: list[Batch]) -> list[list[Batch]]:
    groups, current, size = [], [], 0
    for batch in batches:
        if current and (
            size + batch.raw_bytes > SEGMENT_MAX_RAW_BYTES or len(current) >= SEGMENT_MAX_BATCHES
        ):
            groups.append(current)
            current, size = [], 0
        current.append(batch)
        size += batch.raw_bytes
    if current:
        groups.append(current)
    return [group for group in groups if len(group) >= 2]


def _compact_group(
    organization: Organization, session: Session, group: list[Batch]
) -> Segment | None:
    parts = []
    for batch in group:
        try:
            parts.append(blobs.get(batch.key))
        except FileNotFoundError:
            # Compacted meanwhile by another run (its row now has a segment), rewritten under a
            # new key (a redaction), or really missing: leave this group alone either way.
            current = Batch.objects.filter(pk=batch.pk).values("segment_id", "key").first()
            if current and current["segment_id"] is None and current["key"] == batch.key:
                logger.error(
                    "replay batch blob missing",
                    extra={"organization_id": organization.pk, "batch_key": batch.key},
                )
            return None
    raw = b"".join(parts)
    blob = blobs.compress(raw)
    key = keys.segment_key(organization.pk, session.session_id, group[0].seq, group[-1].seq)
    key = key.replace(".jsonl.zst", f".{secrets.token_hex(4)}.jsonl.zst")
    blobs.put(key, blob)
    ids = [batch.pk for batch in group]
    try:
        with transaction.atomic():
            locked = dict(
                Batch.objects.select_for_update()
                .filter(organization=organization, pk__in=ids, segment__isnull=True)
                .values_list("pk", "key")
            )
            # Every batch still loose and still the blob that was read (not compacted by another
            # run, not rewritten by a redaction meanwhile), or this segment is stale.
            if locked != {batch.pk: batch.key for batch in group}:
                raise _LostRace
            firsts = [b.first_ms for b in group if b.first_ms is not None]
            lasts = [b.last_ms for b in group if b.last_ms is not None]
            segment = Segment.objects.create(
                organization=organization,
                session=session,
                key=key,
                window_id=group[0].window_id,
                first_seq=group[0].seq,
                last_seq=group[-1].seq,
                batch_count=len(group),
                event_count=sum(b.event_count for b in group),
                first_ms=min(firsts) if firsts else None,
                last_ms=max(lasts) if lasts else None,
                bytes=len(blob),
                raw_bytes=len(raw),
            )
            Batch.objects.filter(organization=organization, pk__in=ids).update(segment=segment)
    except _LostRace:
        blobs.delete(key)
        return None
    except Exception:
        blobs.delete(key)
        raise
    for batch in group:
        blobs.delete(batch.key)
    return segment


def sessions_due_for_compaction(*, limit: int = 500) -> list[tuple[int, int]]:
    """(organization_id, session pk) of sessions worth compacting now: ended or idle sessions
    with two or more loose batches, and open sessions with many batches that are not fresh."""
    cutoff = timezone.now() - COMPACT_AFTER
    rows = (
        Batch.objects.filter(segment__isnull=True)
        .values("organization_id", "session_id")
        .annotate(
            loose=Count("id"),
            old=Count("id", filter=Q(received_at__lt=cutoff)),
            oldest=Min("received_at"),
        )
        .filter(loose__gte=2)
        .filter(
            Q(session__ended_at__isnull=False)
            | Q(session__updated_at__lt=cutoff)
            | Q(old__gte=COMPACT_MIN_BATCHES)
        )
        .order_by("oldest")[:limit]
    )
    return [(row["organization_id"], row["session_id"]) for row in rows]
