"""Reads of insights: the groups a team works through, their trend and who they hit, and the
findings of a session. The Insights page and the REST API read the same functions."""

from collections import Counter
from datetime import UTC, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from apps.core.errors import NotFound
from apps.orgs.models import Organization

from .models import Finding, Insight, SessionScan

TREND_DAYS = 14
EXAMPLES = 5


def insights_search(
    *, organization: Organization, kind: str | None = None, status: str | None = None
) -> QuerySet[Insight]:
    queryset = Insight.objects.filter(organization=organization, finding_count__gt=0)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-last_seen_at", "-id")


def insight_get(*, organization: Organization, insight_id) -> Insight:
    try:
        pk = int(insight_id)
    except (TypeError, ValueError):
        raise NotFound("No such insight.") from None
    insight = Insight.objects.filter(organization=organization, pk=pk).first()
    if insight is None:
        raise NotFound("No such insight.")
    return insight


def findings_search(
    *,
    organization: Organization,
    session_id: str | None = None,
    kind: str | None = None,
    insight: Insight | None = None,
) -> QuerySet[Finding]:
    queryset = Finding.objects.filter(organization=organization).select_related("session")
    if session_id:
        queryset = queryset.filter(session__session_id=session_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    if insight is not None:
        queryset = queryset.filter(insight=insight)
    return queryset.order_by("-ts_ms", "-id")


def session_findings(*, organization: Organization, session) -> list[Finding]:
    return list(
        Finding.objects.filter(organization=organization, session=session).order_by("ts_ms", "id")
    )


def insight_trends(
    *, organization: Organization, insights: list[Insight], days: int = TREND_DAYS, now=None
) -> dict[int, list[dict]]:
    """Per insight, the sessions it hit per day (by the finding's moment, UTC) over the last
    ``days`` days, oldest first, zeros included, each with its bar height in percent of the
    insight's busiest day. One query for all of them."""
    today = (now or timezone.now()).astimezone(UTC).date()
    first = today - timedelta(days=days - 1)
    since_ms = int(datetime.combine(first, datetime.min.time(), tzinfo=UTC).timestamp() * 1000)
    rows = Finding.objects.filter(
        organization=organization, insight__in=insights, ts_ms__gte=since_ms
    ).values_list("insight_id", "ts_ms", "session_id")
    seen = {(insight_id, _day(ts_ms), session) for insight_id, ts_ms, session in rows}
    per_day = Counter((insight_id, day) for insight_id, day, _ in seen)
    trends = {}
    for insight in insights:
        counts = [per_day.get((insight.pk, first + timedelta(days=i)), 0) for i in range(days)]
        peak = max(counts) or 1
        trends[insight.pk] = [
            {"day": first + timedelta(days=i), "sessions": n, "height": round(n * 100 / peak)}
            for i, n in enumerate(counts)
        ]
    return trends


def _day(ts_ms: int):
    return datetime.fromtimestamp(ts_ms / 1000, tz=UTC).date()


def insight_trend(
    *, organization: Organization, insight: Insight, days: int = TREND_DAYS, now=None
) -> list[dict]:
    return insight_trends(organization=organization, insights=[insight], days=days, now=now)[
        insight.pk
    ]


def insight_breakdown(*, organization: Organization, insight: Insight) -> list[dict]:
    """Sessions affected per browser and operating system, most first: the slow page only one
    browser hits stands out."""
    rows = (
        Finding.objects.filter(organization=organization, insight=insight)
        .values_list("session_id", "session__browser", "session__os")
        .distinct()
    )
    counts = Counter((browser or "Unknown", os or "Unknown") for _, browser, os in rows)
    total = sum(counts.values()) or 1
    return [
        {"browser": b, "os": o, "sessions": n, "percent": round(n * 100 / total)}
        for (b, o), n in counts.most_common(8)
    ]


def insight_examples(
    *, organization: Organization, insight: Insight, limit: int = EXAMPLES
) -> list[Finding]:
    """The latest finding of each of its latest sessions."""
    seen, examples = set(), []
    for finding in findings_search(organization=organization, insight=insight)[: limit * 10]:
        if finding.session_id not in seen:
            seen.add(finding.session_id)
            examples.append(finding)
        if len(examples) == limit:
            break
    return examples


def session_finding_facts(
    *, organization: Organization, session_pks: list[int]
) -> dict[int, set[tuple[str, bool]]]:
    """(kind, backend error) of each session's findings: what sampling rules read."""
    facts: dict[int, set[tuple[str, bool]]] = {}
    rows = Finding.objects.filter(organization=organization, session_id__in=session_pks)
    for session_pk, kind, backend_error in rows.values_list("session_id", "kind", "backend_error"):
        facts.setdefault(session_pk, set()).add((kind, backend_error))
    return facts


def sessions_unread(*, organization: Organization, days: int = TREND_DAYS) -> int:
    """Sessions of the last ``days`` the detectors failed on (logged; their recordings are
    kept and play as usual): the Insights page says how many, so a failure is not silent."""
    since = timezone.now() - timedelta(days=days)
    return SessionScan.objects.filter(
        organization=organization, failed=True, scanned_at__gte=since
    ).count()
