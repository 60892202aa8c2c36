"""What the detectors (apps/insights) found, written onto the session they read: their marks on
its timeline (replacing the per-batch rage and dead click marks, which could not see across
batches), its click counters, and the fields the session search filters on."""

from dataclasses import dataclass

from django.db import transaction

from apps.orgs.models import Organization

from ..models import Session, TimelineMark
from ..protocol import FINDING_KINDS

MAX_FINDING_TEXT = 16 * 1024
MAX_FINDING_MARKS = 500


@dataclass(frozen=True)
class FindingMark:
    ts_ms: int
    kind: str
    label: str
    data: dict


def session_findings_apply(
    *, organization: Organization, session: Session, marks: list[FindingMark], texts: list[str]
) -> None:
    """Replaces the session's finding marks, kinds and text with these (one transaction: the
    caller's, when it has one — no savepoint of its own, a failure rolls the caller back)."""
    kinds = sorted({mark.kind for mark in marks})
    text = "\n".join(dict.fromkeys(t for t in texts if t))[:MAX_FINDING_TEXT]
    with transaction.atomic(savepoint=False):
        TimelineMark.objects.filter(
            organization=organization, session=session, kind__in=FINDING_KINDS
        ).delete()
        TimelineMark.objects.bulk_create(
            TimelineMark(
                organization=organization,
                session=session,
                ts_ms=mark.ts_ms,
                kind=mark.kind,
                label=mark.label[:500],
                data=mark.data,
            )
            for mark in marks[:MAX_FINDING_MARKS]
        )
        counts = {kind: sum(1 for m in marks if m.kind == kind) for kind in kinds}
        Session.objects.filter(organization=organization, pk=session.pk).update(
            finding_kinds=(" " + " ".join(kinds) + " ") if kinds else "",
            finding_text=text,
            rage_click_count=counts.get("rage_click", 0),
            dead_click_count=counts.get("dead_click", 0),
        )
