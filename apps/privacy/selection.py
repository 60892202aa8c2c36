"""Which sessions to audit: every new session's first chunk, and a nightly sample (chosen from
a hash of the session id and the date, so a rerun picks the same sessions)."""

import hashlib
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from apps.orgs.models import Organization
from apps.replay.models import SamplingState, Session

from .models import AuditScope, PrivacySettings, SessionAudit

NEW_SESSION_WINDOW = timedelta(days=2)


def new_sessions_due(*, now: datetime | None = None, limit: int = 1000) -> list[tuple[int, int]]:
    """(organization id, session pk) of recent sessions whose first chunk is not audited yet."""
    now = now or timezone.now()
    opted_out = PrivacySettings.objects.filter(audit_new_sessions=False).values("organization_id")
    audited = SessionAudit.objects.filter(session=OuterRef("pk"), scope=AuditScope.FIRST)
    rows = (
        Session.objects.filter(created_at__gte=now - NEW_SESSION_WINDOW, batch_count__gt=0)
        .exclude(sampling_state=SamplingState.DROPPED)
        .exclude(organization_id__in=opted_out)
        .exclude(Exists(audited))
        .order_by("pk")
        .values_list("organization_id", "pk")[:limit]
    )
    return list(rows)


def _in_sample(session_id: str, day: date, percent: float) -> bool:
    digest = hashlib.sha256(f"{day.isoformat()}|{session_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 * 100 < percent


def nightly_sample(
    *, organization: Organization, percent: float, cap: int, day: date | None = None
) -> list[int]:
    """Pks of a sample of the sessions active in the day before ``day``'s midnight."""
    day = day or timezone.now().date()
    end = datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())
    rows = (
        Session.objects.filter(
            organization=organization,
            last_seen_at__gte=end - timedelta(days=1),
            last_seen_at__lt=end,
            batch_count__gt=0,
        )
        .exclude(sampling_state=SamplingState.DROPPED)
        .order_by("pk")
        .values_list("pk", "session_id")
    )
    chosen = []
    for pk, session_id in rows.iterator(chunk_size=2000):
        if _in_sample(session_id, day, percent):
            chosen.append(pk)
            if len(chosen) >= cap:
                break
    return chosen
