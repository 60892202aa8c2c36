"""Celery tasks of the replay domain. They take ids, re-scope by organization, and are
idempotent: running one twice, or again after a worker was killed mid-way, is harmless."""

import logging

from celery import shared_task

from .models import Session
from .services import session_compact, sessions_close_idle, sessions_due_for_compaction

logger = logging.getLogger(__name__)


@shared_task(name="apps.replay.tasks.compact_session", ignore_result=True)
def compact_session(organization_id: int, session_pk: int) -> int:
    session = (
        Session.objects.select_related("organization")
        .filter(pk=session_pk, organization_id=organization_id)
        .first()
    )
    if session is None:
        return 0
    segments = session_compact(organization=session.organization, session=session)
    return len(segments)


@shared_task(name="apps.replay.tasks.compact_due_sessions", ignore_result=True)
def compact_due_sessions() -> int:
    """Periodic: close idle sessions, then queue a compaction for each session that is due."""
    closed = sessions_close_idle()
    due = sessions_due_for_compaction()
    for organization_id, session_pk in due:
        compact_session.delay(organization_id, session_pk)
    if closed or due:
        logger.info("replay sweep", extra={"closed": closed, "compactions": len(due)})
    return len(due)
