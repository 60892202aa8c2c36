"""Running the detectors over a session and keeping its findings and their insights current.

A pass reads the whole session (so patterns across batches are seen) and replaces what an
earlier pass found in it: running it again, or after more batches arrived, is safe. A session
the detectors fail on is logged and marked, never retried in a loop, and its data is untouched.
"""

import logging
from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Count, Max, Min
from django.utils import timezone

from apps.orgs.models import Organization
from apps.replay.models import Session
from apps.replay.selectors import session_events, session_windows
from apps.replay.services import FindingMark, session_findings_apply
from apps.tickets.models import ChangeSource, LinkHow, TicketSource
from apps.tickets.services.compose import ticket_upsert_linked
from apps.traces.selectors import traces_by_ids

from .detect import HIGH, Detected, detect
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


def session_detect(*, organization: Organization, session: Session) -> list[Finding]:
    """Runs every detector over the session; returns its findings as now stored."""
    batch_count = session.batch_count
    try:
        # Per window (browser tab): each tab is its own page, with its own DOM node ids and
        # its own time order, so the detectors read one tab at a time.
        detected = [
            found
            for window in session_windows(organization=organization, session=session)
            for found in detect(
                session_events(
                    organization=organization, session=session, window_id=window["window_id"]
                )
            )
        ]
    except Exception:
        logger.exception(
            "insights: detectors failed on a session",
            extra={"organization_id": organization.pk, "session": session.session_id},
        )
        SessionScan.objects.update_or_create(
            organization=organization,
            session=session,
            defaults={"batch_count": batch_count, "failed": True},
        )
        return []
    errored = _backend_errors(organization, detected)
    with transaction.atomic():
        # One pass per session at a time; the row lock orders two workers on one session.
        scan, _ = SessionScan.objects.select_for_update().get_or_create(
            organization=organization, session=session
        )
        before = set(
            Finding.objects.filter(organization=organization, session=session).values_list(
                "insight_id", flat=True
            )
        )
        Finding.objects.filter(organization=organization, session=session).delete()
        findings = [_finding(organization, session, d, errored) for d in detected]
        Finding.objects.bulk_create(findings)
        _recount(organization, before | {f.insight_id for f in findings})
        scan.batch_count, scan.failed = batch_count, False
        scan.save(update_fields=["batch_count", "failed", "scanned_at"])
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
    return findings


def _finding(organization, session, d: Detected, errored: set[str]) -> Finding:
    backend_error = any(trace in errored for trace in d.trace_ids)
    severity = HIGH if backend_error else d.severity
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


def _recount(organization: Organization, insight_ids: set[int]) -> None:
    for row in (
        Finding.objects.filter(organization=organization, insight_id__in=insight_ids)
        .values("insight_id")
        .annotate(
            sessions=Count("session_id", distinct=True),
            findings=Count("id"),
            first=Min("ts_ms"),
            last=Max("ts_ms"),
        )
    ):
        Insight.objects.filter(organization=organization, pk=row["insight_id"]).update(
            session_count=row["sessions"],
            finding_count=row["findings"],
            first_seen_at=_dt(row["first"]),
            last_seen_at=_dt(row["last"]),
            updated_at=timezone.now(),
        )
    emptied = insight_ids - set(
        Finding.objects.filter(organization=organization, insight_id__in=insight_ids).values_list(
            "insight_id", flat=True
        )
    )
    if emptied:
        Insight.objects.filter(organization=organization, pk__in=emptied).update(
            session_count=0, finding_count=0
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
