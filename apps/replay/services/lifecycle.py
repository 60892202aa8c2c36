"""Closing sessions that went quiet (the recorder starts a new session after 30 idle minutes,
and a closed tab may never send its ``ended`` batch)."""

from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from ..models import Session

IDLE_AFTER = timedelta(minutes=30)


def sessions_close_idle(*, now=None) -> int:
    """Set ``ended_at`` (to the last event's time) on open sessions idle for 30 minutes."""
    now = now or timezone.now()
    return Session.objects.filter(ended_at__isnull=True, updated_at__lt=now - IDLE_AFTER).update(
        ended_at=F("last_seen_at")
    )
