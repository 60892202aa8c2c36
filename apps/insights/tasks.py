"""Celery tasks of insights: they take ids and re-scope by organization; running one twice is
harmless (a pass replaces what the last one found)."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from apps.replay.models import Session

from .models import SessionScan
from .services import session_detect

logger = logging.getLogger(__name__)
# A session is read again once no batch has arrived for this long…
QUIET = timedelta(seconds=30)
# …or, while it goes on, at most this often (a long session gets findings as it is recorded;
# a pass while it goes on puts its reading away, so the next one reads only the new batches)…
ACTIVE_EVERY = timedelta(minutes=2)
# …and only while it is this recent (older ones were read when they went quiet).
RECENT = timedelta(days=2)
SWEEP_LIMIT = 200
# A reading put away this long ago belongs to a session that went quiet: dropped (were the
# session to go on after all, its next pass reads it from the start).
CHECKPOINT_KEPT = timedelta(minutes=30)


@shared_task(name="apps.insights.tasks.detect_session", ignore_result=True)
def detect_session(organization_id: int, session_pk: int) -> int:
    session = (
        Session.objects.select_related("organization")
        .filter(pk=session_pk, organization_id=organization_id)
        .first()
    )
    if session is None:
        return 0
    going_on = session.updated_at >= timezone.now() - QUIET
    return session_detect(organization=session.organization, session=session, keep=going_on)


def sessions_due_for_detection(*, now=None, limit: int = SWEEP_LIMIT) -> list[tuple[int, int]]:
    """(organization id, session pk) of sessions with batches no pass has read yet: quiet
    ones, and ones still being recorded whose last pass (or start) is ACTIVE_EVERY old."""
    now = now or timezone.now()
    scans = SessionScan.objects.filter(session=OuterRef("pk"))
    read = scans.filter(batch_count__gte=OuterRef("batch_count"))
    read_lately = scans.filter(scanned_at__gte=now - ACTIVE_EVERY)
    quiet = Q(updated_at__lt=now - QUIET)
    going_on = Q(created_at__lt=now - ACTIVE_EVERY) & ~Exists(read_lately)
    return list(
        Session.objects.filter(updated_at__gte=now - RECENT)
        .filter(~Exists(read))
        .filter(quiet | going_on)
        .order_by("updated_at")
        .values_list("organization_id", "pk")[:limit]
    )


@shared_task(name="apps.insights.tasks.detect_due_sessions", ignore_result=True)
def detect_due_sessions() -> int:
    SessionScan.objects.filter(
        checkpoint__isnull=False, scanned_at__lt=timezone.now() - CHECKPOINT_KEPT
    ).update(checkpoint=None)
    due = sessions_due_for_detection()
    for organization_id, session_pk in due:
        detect_session.delay(organization_id, session_pk)
    if due:
        logger.info("insights sweep", extra={"sessions": len(due)})
    return len(due)


__all__ = ["detect_due_sessions", "detect_session", "sessions_due_for_detection"]
