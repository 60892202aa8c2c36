"""Reads of the privacy domain (keyword-only, organization required)."""

from datetime import date, timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.core.sensitive import KINDS, LABELS
from apps.orgs.models import Organization

from . import counters
from .models import Finding
from .settings_service import settings_for

__all__ = ["findings_daily", "findings_search", "privacy_summary", "settings_for"]


def findings_search(
    *, organization: Organization, kind: str | None = None, session_id: str | None = None
) -> QuerySet[Finding]:
    findings = Finding.objects.filter(organization=organization)
    if kind:
        findings = findings.filter(kind=kind)
    if session_id:
        findings = findings.filter(session_id_text=session_id)
    return findings.order_by("-created_at", "-id")


def findings_daily(*, organization: Organization, days: int = 30) -> list[dict]:
    """Findings per day and kind (oldest day first), zero-filled."""
    today = timezone.now().date()
    since = today - timedelta(days=days - 1)
    rows = (
        Finding.objects.filter(organization=organization, created_at__date__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    table: dict[date, dict[str, int]] = {
        since + timedelta(days=i): dict.fromkeys(KINDS, 0) for i in range(days)
    }
    for row in rows:
        if row["day"] in table and row["kind"] in table[row["day"]]:
            table[row["day"]][row["kind"]] = row["n"]
    return [{"day": day, "counts": counts} for day, counts in table.items()]


def privacy_summary(*, organization: Organization, days: int = 30) -> dict:
    since = timezone.now() - timedelta(days=days)
    by_kind = dict(
        Finding.objects.filter(organization=organization, created_at__gte=since)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    activity = counters.totals(organization=organization, since=since.date())
    return {
        "days": days,
        "findings": sum(by_kind.values()),
        "by_kind": {kind: by_kind.get(kind, 0) for kind in KINDS},
        "labels": LABELS,
        "sessions_audited": activity.get("audit_sessions", 0),
        "bytes_scanned": activity.get("audit_bytes", 0),
        "redactions": activity.get("audit_redactions", 0),
        "sessions_with_findings": Finding.objects.filter(
            organization=organization, created_at__gte=since
        )
        .values("session_id_text")
        .distinct()
        .count(),
    }
