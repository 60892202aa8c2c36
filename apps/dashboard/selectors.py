"""Reads of the dashboard's own data (saved filters) and the little it asks of the domains for
its pages. Sessions lists, backend timelines and trace lists come from the domains' selectors
(``apps.tickets.presentation.session_rows``, ``apps.traces.selectors.session_timeline``,
``apps.traces.listing.trace_page``): nothing here repeats them or reads their models."""

from django.core.cache import cache
from django.db.models import QuerySet

from apps.orgs.models import Organization
from apps.replay import selectors as replay
from apps.replay.models import Session

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
