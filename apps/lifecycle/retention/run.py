"""The retention run of one organization: expired sessions (blobs, segments, batches, index
rows), then old spans and logs, each in bounded chunks.

Mark, delete blobs, delete rows: a chunk's sessions get a ``SessionDeletion`` marker (in one
transaction) before any blob goes, and the markers are removed in the same transaction as the
rows. A worker killed anywhere leaves either untouched sessions or marked ones, and every run
first finishes the marked sessions it finds. So an index row never points at a deleted blob
without a marker saying the row is going too, and nothing is deleted twice or half.
"""

import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from apps.orgs.models import Organization
from apps.replay.models import Batch, Segment, Session

from .. import blobstore, counters, defaults
from ..locks import org_lock
from ..models import DeletionKind, DeletionLog, SessionDeletion
from . import telemetry
from .candidates import Candidate, expired_sessions, open_ticket_pks
from .policy import effective_policy

logger = logging.getLogger(__name__)


@dataclass
class RunResult:
    sessions: int = 0
    blobs: int = 0
    bytes: int = 0
    spans: int = 0
    logs: int = 0
    resumed: int = 0
    spared_by_tickets: int = 0
    locked_out: bool = False


def retention_run(
    *,
    organization: Organization,
    as_of: datetime | None = None,
    chunk: int | None = None,
    pause_ms: int = 0,
) -> RunResult:
    as_of = as_of or timezone.now()
    chunk = chunk or defaults.RETENTION_CHUNK
    result = RunResult()
    with org_lock("retention", organization.pk) as acquired:
        if not acquired:
            result.locked_out = True
            logger.info("retention skipped: already running", extra=_ids(organization))
            return result
        policy = effective_policy(organization=organization)
        result.resumed = _resume(organization, chunk, result)
        for expired in expired_sessions(
            organization=organization, policy=policy, as_of=as_of, chunk=chunk
        ):
            if expired:
                _delete_chunk(organization, expired, result)
                if pause_ms:
                    time.sleep(pause_ms / 1000)
        _telemetry(organization, policy.telemetry_days, as_of, result)
    logger.info(
        "retention run",
        extra={**_ids(organization), **{k: v for k, v in vars(result).items() if v}},
    )
    return result


def _ids(organization: Organization) -> dict:
    return {"organization_id": organization.pk}


def _resume(organization: Organization, chunk: int, result: RunResult) -> int:
    """Finish sessions a killed run had marked."""
    resumed = 0
    while True:
        markers = list(
            SessionDeletion.objects.filter(organization=organization).order_by("pk")[:chunk]
        )
        if not markers:
            return resumed
        _finish(organization, markers, result)
        resumed += len(markers)


def _delete_chunk(organization: Organization, expired: list[Candidate], result: RunResult):
    pks = [c.pk for c in expired]
    # The link may have come after the candidates were read: ask once more, then mark.
    held = open_ticket_pks(organization=organization, session_pks=pks)
    result.spared_by_tickets += len(held)
    chosen = [c for c in expired if c.pk not in held]
    if not chosen:
        return
    with transaction.atomic():
        SessionDeletion.objects.bulk_create(
            [
                SessionDeletion(
                    organization=organization,
                    session_pk=c.pk,
                    session_id=c.session_id,
                    reason=c.expiry.reason[:200],
                )
                for c in chosen
            ],
            ignore_conflicts=True,
        )
    markers = list(
        SessionDeletion.objects.filter(
            organization=organization, session_pk__in=[c.pk for c in chosen]
        )
    )
    _finish(organization, markers, result)


def _finish(organization: Organization, markers: list[SessionDeletion], result: RunResult):
    pks = [m.session_pk for m in markers]
    keys, size = set(), 0
    for model in (Segment, Batch):
        rows = model.objects.filter(organization=organization, session_id__in=pks)
        for key, nbytes in rows.values_list("key", "bytes"):
            keys.add(key)
            size += nbytes if model is Segment else 0
    size += sum(
        Batch.objects.filter(
            organization=organization, session_id__in=pks, segment__isnull=True
        ).values_list("bytes", flat=True)
    )
    blobstore.delete_keys(keys)
    with transaction.atomic():
        Batch.objects.filter(organization=organization, session_id__in=pks).delete()
        Segment.objects.filter(organization=organization, session_id__in=pks).delete()
        Session.objects.filter(organization=organization, pk__in=pks).delete()
        reasons = Counter(m.reason for m in markers)
        DeletionLog.objects.create(
            organization=organization,
            kind=DeletionKind.SESSIONS,
            reason="; ".join(f"{n} × {reason}" for reason, n in reasons.most_common())[:300],
            sessions=len(markers),
            blobs=len(keys),
            bytes=size,
            session_ids=[m.session_id for m in markers],
        )
        SessionDeletion.objects.filter(pk__in=[m.pk for m in markers]).delete()
    result.sessions += len(markers)
    result.blobs += len(keys)
    result.bytes += size
    counters.add(
        organization_id=organization.pk,
        amounts={"retention_sessions": len(markers), "retention_blobs": len(keys)},
    )


def _telemetry(organization: Organization, days: int, as_of: datetime, result: RunResult):
    cutoff = telemetry.cutoff_ns(as_of=as_of, days=days)
    chunk = defaults.TELEMETRY_CHUNK
    result.spans = telemetry.delete_in_batches(
        telemetry.old_spans(organization=organization, cutoff_ns=cutoff), chunk=chunk
    )
    result.logs = telemetry.delete_in_batches(
        telemetry.old_logs(organization=organization, cutoff_ns=cutoff), chunk=chunk
    )
    if result.spans or result.logs:
        DeletionLog.objects.create(
            organization=organization,
            kind=DeletionKind.TELEMETRY,
            reason=f"older than {days} days and not part of a kept session",
            spans=result.spans,
            logs=result.logs,
        )
        counters.add(
            organization_id=organization.pk,
            amounts={"retention_spans": result.spans, "retention_logs": result.logs},
        )
