"""Storing one acknowledged batch: the blob first, then its row and the session index in one
transaction. A 2xx may be sent once ``batch_store`` returns; a crash before that leaves at most
an unreferenced blob, which nothing reads.
"""

import logging
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from apps.orgs.models import Organization

from ..analysis import Digest, analyze
from ..models import Batch, Session, SessionTrace, TimelineMark
from ..storage import blobs, frames, keys
from . import index

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IncomingBatch:
    """A validated batch from the recorder (see docs/recorder-protocol.md)."""

    session_id: str
    seq: int
    events: list[dict]
    previous_session_id: str = ""
    ended: bool = False
    sent_at: int | None = None
    page: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    user: dict | None = None


@dataclass(frozen=True)
class StoredBatch:
    session: Session
    duplicate: bool
    session_created: bool = False
    bytes_stored: int = 0


def batch_store(*, organization: Organization, incoming: IncomingBatch) -> StoredBatch:
    """Store a batch durably and update its session's index; a (session, seq) already stored is
    reported as a duplicate and changes nothing."""
    digest = analyze(incoming.events)
    raw = frames.encode_frame(incoming.seq, incoming.events)
    blob = blobs.compress(raw)
    # A fresh key per attempt: a retry or a racing duplicate never overwrites a blob that an
    # acknowledged row already points at.
    key = keys.batch_key(organization.pk, incoming.session_id, incoming.seq)
    key = key.replace(".jsonl.zst", f".{secrets.token_hex(4)}.jsonl.zst")
    blobs.put(key, blob)
    try:
        with transaction.atomic():
            session, created = _locked_session(organization, incoming, digest)
            if not created and Batch.objects.filter(session=session, seq=incoming.seq).exists():
                duplicate = StoredBatch(session=session, duplicate=True)
            else:
                duplicate = None
                _insert(organization, session, incoming, digest, key, len(blob), len(raw))
    except IntegrityError:
        # The session row lock serializes a session's batches, so this is a (session, seq) that
        # was stored meanwhile by a path that did not take the lock; anything else re-raises.
        stored = Batch.objects.filter(
            organization=organization, session__session_id=incoming.session_id, seq=incoming.seq
        ).select_related("session")
        existing = stored.first()
        if existing is None:
            blobs.delete(key)
            raise
        duplicate = StoredBatch(session=existing.session, duplicate=True)
    if duplicate is not None:
        blobs.delete(key)
        return duplicate
    return StoredBatch(
        session=session, duplicate=False, session_created=created, bytes_stored=len(blob)
    )


def _locked_session(
    organization: Organization, incoming: IncomingBatch, digest: Digest
) -> tuple[Session, bool]:
    session = (
        Session.objects.select_for_update()
        .filter(organization=organization, session_id=incoming.session_id)
        .first()
    )
    if session is not None:
        return session, False
    session = index.new_session(organization=organization, incoming=incoming, digest=digest)
    try:
        with transaction.atomic():  # a savepoint, so a racing creator does not spoil the rest
            session.save(force_insert=True)
    except IntegrityError:
        # Another batch of this new session created the row first; it is committed now (our
        # insert waited for it), so lock it and carry on as an existing session.
        session = Session.objects.select_for_update().get(
            organization=organization, session_id=incoming.session_id
        )
        return session, False
    return session, True


def _insert(
    organization: Organization,
    session: Session,
    incoming: IncomingBatch,
    digest: Digest,
    key: str,
    size: int,
    raw_size: int,
) -> None:
    Batch.objects.create(
        organization=organization,
        session=session,
        seq=incoming.seq,
        key=key,
        event_count=digest.event_count,
        first_ms=digest.first_ms,
        last_ms=digest.last_ms,
        bytes=size,
        raw_bytes=raw_size,
        has_full_snapshot=digest.has_full_snapshot,
    )
    marks_room = max(0, index.MAX_MARKS_PER_SESSION - session.mark_count)
    marks = digest.marks[:marks_room]
    index.apply_batch(
        session, incoming=incoming, digest=digest, size=size, raw_size=raw_size, marks=len(marks)
    )
    session.save()
    if digest.traces:
        SessionTrace.objects.bulk_create(
            [
                SessionTrace(organization=organization, session=session, trace_id=t, ts_ms=ts)
                for t, ts in digest.traces.items()
            ],
            ignore_conflicts=True,
        )
    if marks:
        TimelineMark.objects.bulk_create(
            [
                TimelineMark(
                    organization=organization,
                    session=session,
                    ts_ms=m.ts_ms,
                    kind=m.kind,
                    label=m.label[:500],
                    data=m.data,
                )
                for m in marks
            ]
        )
