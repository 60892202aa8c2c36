"""Celery tasks of the tickets domain. They take ids, re-scope by organization, and are
idempotent: a link that exists is never made twice, so overlapping sweeps are harmless."""

import logging
from datetime import UTC, datetime, timedelta

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from apps.orgs.models import Organization

from .models import OPEN_STATUSES, Ticket
from .services import autolink_recent_sessions
from .services.autolink import LATE_ARRIVAL

logger = logging.getLogger(__name__)

CURSOR_KEY = "tickets:autolink:cursor"
# Each sweep looks back past the previous one, so a session updated while a sweep ran (or a
# late-running worker) is still seen; without a cursor (first run, cache flushed) it looks back
# this far, and never further than MAX_LOOKBACK.
OVERLAP = timedelta(minutes=2)
FIRST_LOOKBACK = timedelta(minutes=15)
MAX_LOOKBACK = timedelta(days=1)


def sweep_since(now: datetime) -> datetime:
    cursor = cache.get(CURSOR_KEY)
    since = (
        datetime.fromtimestamp(cursor, tz=UTC) - OVERLAP
        if isinstance(cursor, int | float)
        else now - FIRST_LOOKBACK
    )
    return max(since, now - MAX_LOOKBACK)


@shared_task(name="apps.tickets.tasks.autolink_sweep", ignore_result=True)
def autolink_sweep() -> int:
    """Every minute: one unit of work per organization with open tickets that name a
    reporter and are recent enough for late sessions to matter."""
    now = timezone.now()
    since = sweep_since(now)
    organization_ids = list(
        Ticket.objects.filter(status__in=OPEN_STATUSES, created_at__gt=since - LATE_ARRIVAL)
        .exclude(reporter_user_id="", reporter_email="")
        .values_list("organization_id", flat=True)
        .distinct()
        .order_by("organization_id")
    )
    for organization_id in organization_ids:
        autolink_organization.delay(organization_id, since.timestamp())
    cache.set(CURSOR_KEY, now.timestamp(), timeout=None)
    return len(organization_ids)


@shared_task(name="apps.tickets.tasks.autolink_organization", ignore_result=True)
def autolink_organization(organization_id: int, since_timestamp: float) -> int:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    since = datetime.fromtimestamp(since_timestamp, tz=UTC)
    created = autolink_recent_sessions(organization=organization, since=since)
    if created:
        logger.info(
            "tickets linked late sessions",
            extra={"organization_id": organization_id, "links": created},
        )
    return created
