"""Running the detectors over a session and keeping its findings and their insights current.

A pass reads the whole session (so patterns across batches are seen) and replaces what an
earlier pass found in it: running it again, or after more batches arrived, is safe. A session
the detectors fail on is logged and marked, never retried in a loop, and its data is untouched.
"""

import hashlib
import logging
from dataclasses import replace
from datetime import UTC, datetime

import orjson
from django.db import transaction
from django.db.models import Count, F, Value
from django.db.models.functions import Greatest, Least
from django.utils import timezone

from apps.core.sensitive import scrub
from apps.orgs.models import Organization
from apps.replay.models import Session
from apps.replay.selectors import session_batch_seqs, session_events_after
from apps.replay.services import FindingMark, session_findings_apply
from apps.tickets.models import ChangeSource, LinkHow, TicketSource
from apps.tickets.services.compose import ticket_upsert_linked
from apps.traces.selectors import traces_by_ids

from .detect import HIGH, Detected, Reading, checkpoint, detect_timeline
from .fingerprint import fingerprint, page_of
from .models import Finding, Insight, InsightStatus, SessionScan
from .selectors import insight_examples

logger = logging.getLogger(__name__)


def _dt(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def _backend_errors(organization: Organization, detected: list[Detected]) -> set[str]:
    ids = {trace for finding in detected for trace in finding.trace_ids}
    if not ids:
        return set()
    return {
        tid
        for tid, summary in traces_by_ids(organization=organization, trace_ids=ids).items()
        if summary.is_error
    }


def session_detect(*, organization: Organization, session: Session, keep: bool = False) -> int:
    """Runs every detector over the session and stores what they found; returns the number
    of findings. A pass that finds what the last one stored writes nothing but its progress.
    With ``keep`` (the session is still being recorded) the reading is put away, and the next
    pass reads only the batches that came since."""
    batch_count = session.batch_count
    scan = SessionScan.objects.filter(organization=organization, session=session).first()
    try:
        readings = _read(organization, session, scan)
        # Per window (browser tab): each tab is its own page, with its own DOM node ids and
        # its own time order, so the detectors read one tab at a time.
        detected = sorted(
            (found for r in readings.values() for found in detect_timeline(r.reading.timeline())),
            key=lambda found: (found.ts, found.kind),
        )
        saved = checkpoint.dump(readings) if keep and readings else None
    except Exception:
        logger.exception(
            "insights: detectors failed on a session",
            extra={"organization_id": organization.pk, "session": session.session_id},
        )
        SessionScan.objects.update_or_create(
            organization=organization,
            session=session,
            defaults={"batch_count": batch_count, "failed": True, "checkpoint": None},
        )
        return 0
    progress = {"batch_count": batch_count, "checkpoint": saved}
    errored = _backend_errors(organization, detected)
    digest = _digest(detected, errored)
    if _unchanged(session, scan, digest):
        # The same findings as stored (most passes): only the progress is written, in one
        # statement (two passes racing here write the same findings' progress).
        _read_through(organization, session, scan, progress, digest)
        return len(detected)
    with transaction.atomic():
        # One pass per session at a time; the row lock orders two workers on one session.
        scan = (
            SessionScan.objects.select_for_update()
            .filter(organization=organization, session=session)
            .first()
        )
        # A session never read before has no findings (they are written with its scan row,
        # in this transaction), nor has one whose last pass found nothing.
        had_findings = scan is not None and (scan.failed or scan.digest != NOTHING_FOUND)
        before = {}
        if had_findings:
            before = dict(
                Finding.objects.filter(organization=organization, session=session)
                .values("insight_id")
                .annotate(n=Count("id"))
                .values_list("insight_id", "n")
            )
        if before:
            Finding.objects.filter(organization=organization, session=session).delete()
        findings = [_finding(organization, session, d, errored) for d in detected]
        Finding.objects.bulk_create(findings)
        _count(organization, before, findings)
        if scan is None:
            SessionScan.objects.create(
                organization=organization, session=session, digest=digest, **progress
            )
        else:
            for name, value in progress.items():
                setattr(scan, name, value)
            scan.failed, scan.digest = False, digest
            scan.save(update_fields=[*progress, "failed", "digest", "scanned_at"])
        session_findings_apply(
            organization=organization,
            session=session,
            marks=[
                FindingMark(
                    ts_ms=f.ts_ms,
                    kind=f.kind,
                    label=f.sentence,
                    data={"severity": f.severity, "insight": f.insight_id},
                )
                for f in findings
            ],
            texts=[f.sentence for f in findings]
            + [str(f.evidence.get("message", "")) for f in findings],
        )
    return len(findings)


def _read(organization, session: Session, scan: SessionScan | None) -> dict:
    """Each window of the session read through its last stored batch: on from the last pass's
    checkpoint of that window when every batch that pass read is still there and none came
    in between, else from the start. Returns {window id: checkpoint.Window}."""
    saved = checkpoint.load(scan.checkpoint) if scan is not None else {}
    readings = {}
    for window_id, seqs in session_batch_seqs(organization=organization, session=session).items():
        before = saved.get(window_id)
        if before is not None and sum(1 for seq in seqs if seq <= before.through) != before.batches:
            before = None
        reading = before.reading if before is not None else Reading()
        if before is not None and before.through == seqs[-1]:
            readings[window_id] = before  # nothing new in this window
            continue
        for events in session_events_after(
            organization=organization,
            session=session,
            window_id=window_id,
            after_seq=before.through if before is not None else None,
            through_seq=seqs[-1],
        ):
            reading.feed(events)
        readings[window_id] = checkpoint.Window(reading, seqs[-1], len(seqs))
    return readings


def _digest(detected: list[Detected], errored: set[str]) -> str:
    """What a pass would store, in a few bytes: two passes with the same digest store the same
    findings (everything a finding row and its marks are made of is in it)."""
    rows = [
        (
            d.kind,
            d.ts,
            d.duration,
            d.url,
            d.selector,
            d.element_text,
            d.sentence,
            d.severity,
            d.evidence,
            sorted(d.trace_ids),
            sorted(t for t in d.trace_ids if t in errored),
        )
        for d in detected
    ]
    return hashlib.sha256(orjson.dumps(rows, option=orjson.OPT_SORT_KEYS)).hexdigest()


NOTHING_FOUND = _digest([], set())


def _unchanged(session: Session, scan: SessionScan | None, digest: str) -> bool:
    if scan is not None:
        return not scan.failed and scan.digest == digest
    # Never read before and nothing found: there is nothing to replace unless the intake put
    # its own per-batch rage or dead click marks on the session (a pass replaces those). The
    # counts are as the session was read: a batch that came since makes the next pass due.
    return (
        digest == NOTHING_FOUND
        and not session.rage_click_count
        and not session.dead_click_count
        and not session.finding_kinds
    )


def _read_through(organization, session, scan, progress: dict, digest: str) -> None:
    if scan is None:
        SessionScan.objects.create(
            organization=organization, session=session, digest=digest, **progress
        )
    else:
        SessionScan.objects.filter(organization=organization, pk=scan.pk).update(
            **progress, scanned_at=timezone.now()
        )


def _scrubbed(value):
    """Recorded text (an element's label, a message, a URL) with card numbers, e-mail
    addresses, tokens… replaced by ``[kind]``: a finding's words go to the Insights pages, the
    session's marks and search index, alert e-mails and webhooks, where the masking audit's
    redaction of the recording never reaches."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    if isinstance(value, dict):
        return {k: v if k in _IDS else _scrubbed(v) for k, v in value.items()}
    return value


_IDS = {"trace_id", "span_id", "backend_errors"}


def _finding(organization, session, d: Detected, errored: set[str]) -> Finding:
    backend_error = any(trace in errored for trace in d.trace_ids)
    severity = HIGH if backend_error else d.severity
    d = replace(
        d,
        sentence=scrub(d.sentence),
        element_text=scrub(d.element_text),
        url=scrub(d.url),
        evidence=_scrubbed(d.evidence),
    )
    evidence = dict(d.evidence)
    if d.trace_ids:
        evidence["backend_errors"] = sorted(t for t in d.trace_ids if t in errored)
    sentence = d.sentence
    if backend_error:
        # "(trace 4bf9…)" becomes "(backend trace 4bf9… errored)" for the traces that did.
        for trace in d.trace_ids:
            if trace in errored:
                sentence = sentence.replace(
                    f"(trace {trace[:4]}…)", f"(backend trace {trace[:4]}… errored)"
                )
        if "errored)" not in sentence:
            sentence = sentence.rstrip(".") + "; a backend trace behind it errored."
    insight = _insight_for(organization, d, sentence, severity)
    return Finding(
        organization=organization,
        session=session,
        insight=insight,
        kind=d.kind,
        severity=severity,
        ts_ms=d.ts,
        offset_ms=max(0, d.ts - session.start_ms),
        duration_ms=max(0, d.duration),
        url=d.url[:2048],
        element_selector=d.selector[:300],
        element_text=d.element_text[:200],
        sentence=sentence[:2000],
        evidence=evidence,
        backend_error=backend_error,
    )


def _insight_for(organization, d: Detected, sentence: str, severity: int) -> Insight:
    page = page_of(d.url)
    key = fingerprint(kind=d.kind, page=page, selector=d.selector)
    seen = _dt(d.ts)
    insight, created = Insight.objects.select_for_update().get_or_create(
        organization=organization,
        fingerprint=key,
        defaults={
            "kind": d.kind,
            "page": page,
            "element_selector": d.selector[:300],
            "element_text": d.element_text[:200],
            "title": sentence[:2000],
            "severity": severity,
            "first_seen_at": seen,
            "last_seen_at": seen,
        },
    )
    if not created:
        changed = []
        if (
            insight.status == InsightStatus.RESOLVED
            and insight.resolved_at
            and seen > insight.resolved_at
        ):
            # Seen again after it was resolved: a regression reopens it.
            insight.status, insight.regressed, insight.resolved_at = InsightStatus.NEW, True, None
            changed += ["status", "regressed", "resolved_at"]
        if seen >= insight.last_seen_at:
            insight.title = sentence[:2000]
            changed.append("title")
        if severity > insight.severity:
            insight.severity = severity
            changed.append("severity")
        if changed:
            insight.save(update_fields=[*changed, "updated_at"])
    return insight


def _count(organization: Organization, before: dict[int, int], findings: list[Finding]) -> None:
    """Moves the counts of the insights this session's findings left and joined by the
    difference (under the insights' row locks, so concurrent passes add up), instead of
    counting every finding of each insight again: that would grow with the insight."""
    after: dict[int, list[Finding]] = {}
    for finding in findings:
        after.setdefault(finding.insight_id, []).append(finding)
    for insight_id in sorted(set(before) | set(after)):
        mine = after.get(insight_id, [])
        sessions = (1 if mine else 0) - (1 if insight_id in before else 0)
        count = len(mine) - before.get(insight_id, 0)
        changes = {}
        if sessions:
            changes["session_count"] = Greatest(F("session_count") + sessions, Value(0))
        if count:
            changes["finding_count"] = Greatest(F("finding_count") + count, Value(0))
        if mine:
            changes["first_seen_at"] = Least(
                F("first_seen_at"), Value(_dt(min(f.ts_ms for f in mine)))
            )
            changes["last_seen_at"] = Greatest(
                F("last_seen_at"), Value(_dt(max(f.ts_ms for f in mine)))
            )
        if changes:
            Insight.objects.filter(organization=organization, pk=insight_id).update(
                **changes, updated_at=timezone.now()
            )


@transaction.atomic
def insight_set_status(*, organization: Organization, insight: Insight, status: str) -> Insight:
    insight = Insight.objects.select_for_update().get(organization=organization, pk=insight.pk)
    insight.status = InsightStatus(status)
    insight.resolved_at = timezone.now() if status == InsightStatus.RESOLVED else None
    if status != InsightStatus.NEW:
        insight.regressed = False
    insight.save(update_fields=["status", "resolved_at", "regressed", "updated_at"])
    return insight


def insight_create_ticket(*, organization: Organization, insight: Insight, actor=None):
    """A ticket for the problem, linked to its example sessions (a Qorrelate ticket: source
    "generic", numbered after the insight, so asking twice finds the same ticket)."""
    examples = insight_examples(organization=organization, insight=insight)
    ticket, _created = ticket_upsert_linked(
        organization=organization,
        source=TicketSource.GENERIC,
        external_id=f"insight-{insight.pk}",
        subject=f"{insight.get_kind_display()}: {insight.title}"[:500],
        session_ids=[finding.session.session_id for finding in examples],
        actor=actor,
        how=LinkHow.MANUAL,
        change_source=ChangeSource.DASHBOARD,
    )
    return ticket
