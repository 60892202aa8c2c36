"""One masking audit of one session: read its chunks in order (the DOM context carries from
the full snapshot to later mutations), record findings, and with auto-redact rewrite each chunk
that had any, the values masked in place.

Idempotent: a finding's fingerprint is where it was (session, batch, event, field, kind), never
what it was, so auditing again adds nothing; a redacted value is masked and is not found again.
Nothing here logs, raises or stores a scanned value: errors are reported by their class name.
"""

import hashlib
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.orgs.models import Organization
from apps.replay.models import Session

from .. import counters
from ..models import AuditScope, Finding, SessionAudit
from ..network_headers import denied_headers
from ..scan.dom import DomState
from ..scan.scanner import Hit, redact, scan_events
from .chunks import Chunk, session_chunks
from .lines import ChunkLines
from .read import chunk_read
from .rewrite import chunk_rewrite, compacted_meanwhile

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


@dataclass
class AuditResult:
    chunks: int = 0
    bytes_scanned: int = 0
    findings: int = 0
    new_findings: int = 0
    redacted_chunks: int = 0
    skipped_chunks: int = 0


def _fingerprint(organization_id: int, session_pk: int, seq: int, hit: Hit, window: str) -> str:
    span = hit.span[0] if hit.span else -1
    # Tabs number their batches alike: the window tells two tabs' batch 0 apart ("" before).
    at = f"{window}/{seq}" if window else str(seq)
    where = f"{organization_id}|{session_pk}|{at}|{hit.event_index}|{hit.location}|{span}"
    return hashlib.sha256(f"{where}|{hit.selector}|{hit.kind}".encode()).hexdigest()


def session_audit(
    *, organization: Organization, session: Session, scope: str, redact_values: bool
) -> AuditResult:
    result = AuditResult()
    for _attempt in range(MAX_ATTEMPTS):
        redacted_batches = _audit_once(organization, session, scope, redact_values, result)
        if not redacted_batches or not compacted_meanwhile(
            organization=organization, batch_pks=redacted_batches
        ):
            break
        # A compaction copied a batch while we redacted it: audit the segment it wrote too.
    _record(organization, session, scope, result)
    return result


def _audit_once(organization, session, scope, redact_values, result) -> list[int]:
    state = DomState()
    redacted_batches = []
    chunks = session_chunks(
        organization=organization, session=session, first_only=scope == AuditScope.FIRST
    )
    for chunk in chunks:
        try:
            raw = chunk_read(chunk.key)
        except FileNotFoundError:  # compacted, purged or deleted since it was listed
            result.skipped_chunks += 1
            continue
        try:
            changed = _scan_chunk(organization, session, chunk, raw, state, redact_values, result)
        except Exception as exc:  # a damaged chunk must not stop the audit or leak content
            result.skipped_chunks += 1
            logger.warning(
                "privacy audit: chunk skipped",
                extra={
                    "organization_id": organization.pk,
                    "session_pk": session.pk,
                    "error": type(exc).__name__,
                },
            )
            continue
        if changed and not chunk.is_segment:
            redacted_batches.append(chunk.pk)
    return redacted_batches


def _scan_chunk(organization, session, chunk: Chunk, raw: bytes, state, redact_values, result):
    lines = ChunkLines(raw)
    result.chunks += 1
    result.bytes_scanned += len(raw)
    findings, changed_lines = [], {}
    denied = denied_headers(organization=organization)
    for frame in lines.frames:
        stamps, events = lines.events(frame)
        hits = scan_events(events, state, denied)
        if not hits:
            continue
        for hit in hits:
            findings.append(
                Finding(
                    organization=organization,
                    session=session,
                    session_id_text=session.session_id,
                    kind=hit.kind,
                    location=hit.location[:120],
                    selector=hit.selector[:500],
                    offset_ms=max(0, stamps[hit.event_index] - session.start_ms),
                    excerpt=hit.excerpt[:300],
                    seq=frame.seq,
                    fingerprint=_fingerprint(
                        organization.pk, session.pk, frame.seq, hit, chunk.window_id
                    ),
                )
            )
        if redact_values:
            for event_index in redact(hits):
                changed_lines[frame.line_indexes[event_index]] = (
                    stamps[event_index],
                    events[event_index],
                )
    if findings:
        known = set(
            Finding.objects.filter(
                organization=organization, fingerprint__in=[f.fingerprint for f in findings]
            ).values_list("fingerprint", flat=True)
        )
        fresh = {f.fingerprint: f for f in findings if f.fingerprint not in known}
        Finding.objects.bulk_create(fresh.values(), ignore_conflicts=True)
        result.new_findings += len(fresh)
        result.findings += len(findings)
    if not changed_lines:
        return False
    for index, (timestamp, event) in changed_lines.items():
        lines.replace(index, timestamp, event)
    if not chunk_rewrite(organization=organization, chunk=chunk, raw=lines.raw()):
        return False
    Finding.objects.filter(
        organization=organization, fingerprint__in=[f.fingerprint for f in findings]
    ).update(redacted_at=timezone.now())
    result.redacted_chunks += 1
    return True


def _record(organization: Organization, session: Session, scope: str, result: AuditResult):
    try:
        with transaction.atomic():
            SessionAudit.objects.create(
                organization=organization,
                session=session,
                scope=scope,
                chunks=result.chunks,
                bytes_scanned=result.bytes_scanned,
                findings=result.findings,
                redacted=result.redacted_chunks,
            )
    except IntegrityError:
        pass  # the first-chunk audit of this session was recorded by another run
    counters.add(
        organization_id=organization.pk,
        amounts={
            "audit_sessions": 1,
            "audit_bytes": result.bytes_scanned,
            "audit_findings": result.new_findings,
            "audit_redactions": result.redacted_chunks,
        },
    )
    logger.info(
        "privacy audit",
        extra={
            "organization_id": organization.pk,
            "session_pk": session.pk,
            "scope": scope,
            "chunks": result.chunks,
            "bytes": result.bytes_scanned,
            "findings": result.findings,
            "new_findings": result.new_findings,
            "redacted_chunks": result.redacted_chunks,
        },
    )
