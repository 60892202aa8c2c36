"""Storing one acknowledged batch: the blob first, then its row and the session index in one
transaction. A 2xx may be sent once ``batch_store`` returns; a crash before that leaves at most
an unreferenced blob, which nothing reads.
"""

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from apps.orgs.models import Organization

from ..analysis import Digest, analyze
from ..models import Batch, Session
from ..storage import blobs, frames, keys
from . import index, rows

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


class _Refused(Exception):
    def __init__(self, reason: Exception):
        super().__init__(str(reason))
        self.reason = reason


@dataclass(frozen=True)
class StoredBatch:
    session: Session
    duplicate: bool
    session_created: bool = False
    bytes_stored: int = 0


def batch_store(
    *,
    organization: Organization,
    incoming: IncomingBatch,
    admit: Callable[[bool], None] | None = None,
) -> StoredBatch:
    """Store a batch durably and update its session's index; a (session, seq) already stored is
    reported as a duplicate and changes nothing.

    ``admit(session_is_new)`` runs once the batch is known not to be a duplicate, with the
    session row locked; whatever it raises cancels the batch (nothing stays stored) and
    propagates. The intake plugs billing's quota in here.
    """
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
            # A (session, seq) stored before is refused by the unique constraint, and the
            # whole transaction (this batch's writes only) rolls back.
            batch = _insert_batch(organization, session, incoming, digest, key, blob, raw)
            if admit is not None:
                try:
                    admit(created)
                except Exception as exc:
                    raise _Refused(exc) from exc
            _update_index(organization, session, incoming, digest, batch)
    except IntegrityError:
        existing = (
            Batch.objects.filter(
                organization=organization,
                session__session_id=incoming.session_id,
                seq=incoming.seq,
            )
            .select_related("session")
            .first()
        )
        blobs.delete(key)
        if existing is None:
            raise
        return StoredBatch(session=existing.session, duplicate=True)
    except _Refused as refused:
        # Rolled back before any commit: the blob is certainly unreferenced. (After other
        # errors it is kept: a failed COMMIT may still have committed, and an extra blob is
        # harmless where a missing one would lose a batch.)
        blobs.delete(key)
        raise refused.reason from None
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


def _insert_batch(
    organization: Organization,
    session: Session,
    incoming: IncomingBatch,
    digest: Digest,
    key: str,
    blob: bytes,
    raw: bytes,
) -> Batch:
    return Batch.objects.create(
        organization=organization,
        session=session,
        seq=incoming.seq,
        key=key,
        event_count=digest.event_count,
        first_ms=digest.first_ms,
        last_ms=digest.last_ms,
        bytes=len(blob),
        raw_bytes=len(raw),
        has_full_snapshot=digest.has_full_snapshot,
    )


def _update_index(
    organization: Organization,
    session: Session,
    incoming: IncomingBatch,
    digest: Digest,
    batch: Batch,
) -> None:
    marks_room = max(0, index.MAX_MARKS_PER_SESSION - session.mark_count)
    marks = digest.marks[:marks_room]
    index.apply_batch(
        session,
        incoming=incoming,
        digest=digest,
        size=batch.bytes,
        raw_size=batch.raw_bytes,
        marks=len(marks),
    )
    session.save(update_fields=index.BATCH_FIELDS)
    rows.insert_trace_ids(
        organization_id=organization.pk, session_pk=session.pk, traces=digest.traces
    )
    rows.insert_marks(organization_id=organization.pk, session_pk=session.pk, marks=marks)
