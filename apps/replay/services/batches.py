"""Storing one acknowledged batch: the blob (written and fsynced on a writer thread while the
session row is read and locked), then its row and the session index in one transaction that
commits only once the blob is durable. A 2xx may be sent once ``batch_store`` returns; a crash
before that leaves at most an unreferenced blob, which nothing reads.
"""

import logging
import secrets
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from apps.orgs.models import Organization

from ..analysis import Digest, analyze
from ..models import Batch, Session
from ..storage import blobs, frames, keys
from . import index, rows, session_rows

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
    # The tab the batch comes from (its seqs count per tab); "" from recorders that send none.
    window_id: str = ""


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
    """Store a batch durably and update its session's index; a (session, window, seq) already
    stored is reported as a duplicate and changes nothing.

    ``admit(session_is_new)`` runs once the batch is known not to be a duplicate, with the
    session row locked; whatever it raises cancels the batch (nothing stays stored) and
    propagates. The intake plugs billing's quota in here.
    """
    digest = analyze(incoming.events)
    raw = frames.encode_frame(incoming.seq, incoming.events)
    blob = blobs.compress(raw)
    key = keys.batch_key(
        organization.pk, incoming.session_id, incoming.seq, attempt=secrets.token_hex(4)
    )
    # The blob is written and fsynced on a writer thread while this one reads and locks the
    # session row; the rows commit only once the blob is durable, so a 2xx still means both.
    pending = blobs.put_soon(key, blob)
    try:
        with transaction.atomic():
            session, created, duplicate = _locked_session(organization, incoming, digest, blob, raw)
            if not duplicate:
                if admit is not None:
                    try:
                        admit(created)
                    except Exception as exc:
                        raise _Refused(exc) from exc
                _write_rows(organization, session, incoming, digest, key, blob, raw, created)
            pending.result()  # a failed write raises here: nothing commits
    except IntegrityError:
        existing = (
            Batch.objects.filter(
                organization=organization,
                session__session_id=incoming.session_id,
                window_id=incoming.window_id,
                seq=incoming.seq,
            )
            .select_related("session")
            .first()
        )
        _delete(key, pending)
        if existing is None:
            raise
        return StoredBatch(session=existing.session, duplicate=True)
    except _Refused as refused:
        # Rolled back before any commit: the blob is certainly unreferenced. (After other
        # errors it is kept: a failed COMMIT may still have committed, and an extra blob is
        # harmless where a missing one would lose a batch.)
        _delete(key, pending)
        raise refused.reason from None
    if duplicate:
        _delete(key, pending)
        return StoredBatch(session=session, duplicate=True)
    return StoredBatch(
        session=session, duplicate=False, session_created=created, bytes_stored=len(blob)
    )


def _delete(key: str, pending: Future) -> None:
    blobs.settle(pending)  # never delete under a write still running
    blobs.delete(key)


def _locked_session(
    organization: Organization, incoming: IncomingBatch, digest: Digest, blob: bytes, raw: bytes
) -> tuple[Session, bool, bool]:
    """(session row locked, created by this batch, batch already stored)."""
    found = session_rows.lock_session(
        organization_id=organization.pk,
        session_id=incoming.session_id,
        window_id=incoming.window_id,
        seq=incoming.seq,
    )
    if found is not None:
        return found[0], False, found[1]
    session = index.new_session(organization=organization, incoming=incoming, digest=digest)
    # The first batch is merged before the insert, so a new session costs no UPDATE.
    _apply(session, incoming, digest, blob, raw)
    if session_rows.insert_session(session):
        return session, True, False
    # Another batch of this new session created the row first; it is committed now (our
    # insert waited for it), so lock it and carry on as an existing session.
    session, duplicate = session_rows.lock_session(
        organization_id=organization.pk,
        session_id=incoming.session_id,
        window_id=incoming.window_id,
        seq=incoming.seq,
    )
    return session, False, duplicate


def _marks(session: Session, digest: Digest) -> list:
    return digest.marks[: max(0, index.MAX_MARKS_PER_SESSION - session.mark_count)]


def _apply(session: Session, incoming, digest: Digest, blob: bytes, raw: bytes) -> list:
    marks = _marks(session, digest)
    index.apply_batch(
        session,
        incoming=incoming,
        digest=digest,
        size=len(blob),
        raw_size=len(raw),
        marks=len(marks),
    )
    return marks


def _write_rows(
    organization: Organization,
    session: Session,
    incoming: IncomingBatch,
    digest: Digest,
    key: str,
    blob: bytes,
    raw: bytes,
    created: bool,
) -> None:
    if created:
        marks = digest.marks[: index.MAX_MARKS_PER_SESSION]  # applied before the insert
    else:
        before = session_rows.snapshot(session, index.BATCH_FIELDS)
        marks = _apply(session, incoming, digest, blob, raw)
        session_rows.update_session(session, index.BATCH_FIELDS, before)
    session_rows.insert_batch(
        organization_id=organization.pk,
        session_pk=session.pk,
        window_id=incoming.window_id,
        seq=incoming.seq,
        key=key,
        event_count=digest.event_count,
        first_ms=digest.first_ms,
        last_ms=digest.last_ms,
        size=len(blob),
        raw_size=len(raw),
        has_full_snapshot=digest.has_full_snapshot,
    )
    rows.insert_trace_ids(
        organization_id=organization.pk, session_pk=session.pk, traces=digest.traces
    )
    rows.insert_marks(organization_id=organization.pk, session_pk=session.pk, marks=marks)
