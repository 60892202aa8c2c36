"""Purging dropped sessions once their grace period is over: blobs first, then the batch and
segment rows, leaving the session's index row as the tombstone.

Mark, delete, then record: ``purge_started_at`` is set (in a transaction) before any blob is
deleted, so a late ticket link can no longer rescue a session whose blobs may be half gone;
``purged_at`` is set together with the row deletion. A worker killed in between leaves a
started purge that the next run finishes (deleting an absent blob is not an error).
A batch that arrives after the purge (a late retry) is purged by the next sweep.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.orgs.models import Organization
from apps.replay.models import Batch, Segment, Session
from apps.tickets.selectors import linked_session_pks

from .. import blobstore, counters
from ..models import DecisionState, DeletionKind, DeletionLog, SessionDecision
from .rescue import rescue_locked

logger = logging.getLogger(__name__)


@dataclass
class PurgeResult:
    sessions: int = 0
    blobs: int = 0
    bytes: int = 0
    rescued: int = 0


def purge_due_filter(now: datetime) -> Q:
    late_batches = Exists(Batch.objects.filter(session_id=OuterRef("session_id")))
    return Q(state=DecisionState.DROPPED) & (
        Q(purged_at__isnull=True, purge_after__lte=now)
        | Q(purged_at__isnull=True, purge_started_at__isnull=False)
        | (Q(purged_at__isnull=False) & late_batches)
    )


def organizations_with_due_purges(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        SessionDecision.objects.filter(purge_due_filter(now))
        .order_by()
        .values_list("organization_id", flat=True)
        .distinct()
    )


def dropped_purge(
    *, organization: Organization, now: datetime | None = None, limit: int = 200
) -> PurgeResult:
    """Purge up to ``limit`` dropped sessions of the organization whose time has come."""
    now = now or timezone.now()
    result = PurgeResult()
    with transaction.atomic():
        due = list(
            SessionDecision.objects.select_for_update(skip_locked=True)
            .filter(organization=organization)
            .filter(purge_due_filter(now))
            .order_by("purge_after", "pk")[:limit]
        )
        if not due:
            return result
        # The link signal may have been missed (a worker down): ask tickets once more.
        linked = linked_session_pks(
            organization=organization,
            session_pks=[d.session_id for d in due if d.purge_started_at is None],
        )
        for decision in due:
            if decision.session_id in linked:
                rescue_locked(organization=organization, decision=decision, now=now)
                result.rescued += 1
        due = [d for d in due if d.session_id not in linked]
        SessionDecision.objects.filter(
            pk__in=[d.pk for d in due], purge_started_at__isnull=True
        ).update(purge_started_at=now)
    if not due:
        return result
    session_pks = [d.session_id for d in due]
    keys, size = _stored_keys(organization, session_pks)
    blobstore.delete_keys(k for session_keys in keys.values() for k in session_keys)
    with transaction.atomic():
        Batch.objects.filter(organization=organization, session_id__in=session_pks).delete()
        Segment.objects.filter(organization=organization, session_id__in=session_pks).delete()
        Session.objects.filter(organization=organization, pk__in=session_pks).update(bytes_stored=0)
        for decision in due:
            first = decision.purged_at is None
            SessionDecision.objects.filter(pk=decision.pk).update(
                purged_at=now if first else decision.purged_at,
                blobs_purged=decision.blobs_purged + len(keys.get(decision.session_id, ())),
                bytes_purged=decision.bytes_purged + size.get(decision.session_id, 0),
            )
        sids = dict(
            Session.objects.filter(organization=organization, pk__in=session_pks).values_list(
                "pk", "session_id"
            )
        )
        blob_count = sum(len(v) for v in keys.values())
        byte_count = sum(size.values())
        DeletionLog.objects.create(
            organization=organization,
            kind=DeletionKind.SAMPLING,
            reason="dropped by sampling; grace period over",
            sessions=len(due),
            blobs=blob_count,
            bytes=byte_count,
            session_ids=[sids.get(pk, "") for pk in session_pks],
        )
    result.sessions, result.blobs, result.bytes = len(due), blob_count, byte_count
    counters.add(
        organization_id=organization.pk,
        amounts={"sampling_purged": result.sessions, "sampling_blobs_purged": result.blobs},
    )
    logger.info(
        "sampling purge",
        extra={
            "organization_id": organization.pk,
            "sessions": result.sessions,
            "blobs": result.blobs,
            "bytes": result.bytes,
            "rescued": result.rescued,
        },
    )
    return result


def _stored_keys(organization: Organization, session_pks: list[int]):
    keys: dict[int, set[str]] = {}
    size: dict[int, int] = {}
    # Compacted batches' keys are included: their blobs are normally gone already, but a
    # compaction killed before its cleanup leaves them behind.
    segments = Segment.objects.filter(organization=organization, session_id__in=session_pks)
    batches = Batch.objects.filter(organization=organization, session_id__in=session_pks)
    for session_pk, key, nbytes in segments.values_list("session_id", "key", "bytes"):
        keys.setdefault(session_pk, set()).add(key)
        size[session_pk] = size.get(session_pk, 0) + nbytes
    for session_pk, key, nbytes, segment in batches.values_list(
        "session_id", "key", "bytes", "segment_id"
    ):
        keys.setdefault(session_pk, set()).add(key)
        if segment is None:
            size[session_pk] = size.get(session_pk, 0) + nbytes
    return keys, size
