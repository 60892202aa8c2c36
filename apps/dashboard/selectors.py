"""Reads of the dashboard's own data (saved filters) and the little it asks of the domains for
its pages. Sessions lists, backend timelines and trace lists come from the domains' selectors
(``apps.tickets.presentation.session_rows``, ``apps.traces.selectors.session_timeline``,
``apps.traces.listing.trace_page``): nothing here repeats them or reads their models."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from apps.orgs.models import Organization
from apps.replay import selectors as replay
from apps.replay.models import Session
from apps.traces import selectors as traces

from .models import SavedFilter

BROWSERS_CACHE_SECONDS = 300


def saved_filters(*, organization: Organization) -> QuerySet[SavedFilter]:
    return SavedFilter.objects.filter(organization=organization).order_by("name", "id")


def browsers_seen(*, organization: Organization) -> list[str]:
    """Browser families recorded in this organization (cached briefly: a scan at 100k rows)."""
    key = f"dashboard:browsers:{organization.pk}"
    found = cache.get(key)
    if found is None:
        found = sorted(
            replay.sessions_search(organization=organization)
            .exclude(browser="")
            .order_by()
            .values_list("browser", flat=True)
            .distinct()[:50]
        )
        cache.set(key, found, BROWSERS_CACHE_SECONDS)
    return found


def session_for_id(*, organization: Organization, session_id: str) -> Session | None:
    try:
        return replay.session_get(organization=organization, session_id=session_id)
    except Session.DoesNotExist:
        return None


@dataclass
class Overview:
    """The Overview page: is data arriving, and what came in lately."""

    session_count: int
    sessions_last_day: int
    errors_last_day: int
    recent: list[Session]
    backend_linked: bool  # some span or log carries a session id

    @property
    def has_sessions(self) -> bool:
        return self.session_count > 0

    @property
    def last_session(self) -> Session | None:
        return self.recent[0] if self.recent else None


RECENT_SESSIONS = 5


def organization_overview(*, organization: Organization, now: datetime | None = None) -> Overview:
    """Counts through the same search the sessions list and ``/api/v1/sessions`` use
    (``started_after``, ``has_errors``), so the numbers here are what those filters find."""
    since = (now or timezone.now()) - timedelta(days=1)
    sessions = replay.sessions_search(organization=organization)
    return Overview(
        session_count=sessions.count(),
        sessions_last_day=replay.sessions_search(
            organization=organization, started_after=since
        ).count(),
        errors_last_day=replay.sessions_search(
            organization=organization, started_after=since, has_errors=True
        ).count(),
        recent=list(sessions.order_by("-started_at")[:RECENT_SESSIONS]),
        backend_linked=traces.session_telemetry_exists(organization=organization),
    )
