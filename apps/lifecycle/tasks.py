"""Celery tasks of the lifecycle domain. Thin: they take ids, re-scope by organization and call
services. Every one is idempotent (run twice, or again after a killed worker: same end state),
and periodic sweeps only enqueue one unit of work per organization (or chunk of sessions)."""

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.utils import timezone

from apps.orgs.models import Organization

from . import defaults, services
from .sampling.due import finished_pending_pks, organizations_with_pending
from .sampling.purge import organizations_with_due_purges

logger = logging.getLogger(__name__)


def _organization(organization_id: int) -> Organization | None:
    return Organization.objects.filter(pk=organization_id).first()


def _as_of(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@shared_task(name="lifecycle.sampling_sweep", ignore_result=True)
def sampling_sweep() -> int:
    """Periodic: queue the decision of finished sessions and the purge of dropped ones."""
    queued = 0
    for organization_id in organizations_with_pending():
        organization = _organization(organization_id)
        if organization is None:
            continue
        pks = finished_pending_pks(organization=organization)
        for start in range(0, len(pks), defaults.DECIDE_CHUNK):
            decide_sessions.delay(organization_id, pks[start : start + defaults.DECIDE_CHUNK])
            queued += 1
    for organization_id in organizations_with_due_purges():
        purge_dropped.delay(organization_id)
        queued += 1
    if queued:
        logger.info("sampling sweep", extra={"queued": queued})
    return queued


@shared_task(name="lifecycle.decide_sessions", ignore_result=True)
def decide_sessions(organization_id: int, session_pks: list[int]) -> int:
    organization = _organization(organization_id)
    if organization is None:
        return 0
    return services.sessions_decide(organization=organization, session_pks=session_pks).decided


@shared_task(name="lifecycle.purge_dropped", ignore_result=True)
def purge_dropped(organization_id: int) -> int:
    organization = _organization(organization_id)
    if organization is None:
        return 0
    total = 0
    while True:  # bounded chunks until nothing is due
        result = services.dropped_purge(organization=organization)
        total += result.sessions
        if not result.sessions and not result.rescued:
            return total


@shared_task(name="lifecycle.rescue_session", ignore_result=True)
def rescue_session(organization_id: int, session_pk: int, ticket_pk: int | None = None) -> str:
    organization = _organization(organization_id)
    if organization is None:
        return "missing"
    return services.session_rescue(organization=organization, session_pk=session_pk)


@shared_task(name="lifecycle.retention_daily", ignore_result=True)
def retention_daily() -> int:
    """Periodic (daily): one retention run and one orphan sweep per organization."""
    organization_ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    for organization_id in organization_ids:
        retention_run.delay(organization_id)
        orphan_sweep.delay(organization_id)
    logger.info("retention daily", extra={"organizations": len(organization_ids)})
    return len(organization_ids)


@shared_task(name="lifecycle.retention_run", ignore_result=True)
def retention_run(
    organization_id: int, as_of: str | None = None, chunk: int | None = None, pause_ms: int = 0
) -> int:
    organization = _organization(organization_id)
    if organization is None:
        return 0
    result = services.retention_run(
        organization=organization, as_of=_as_of(as_of), chunk=chunk, pause_ms=pause_ms
    )
    return result.sessions


@shared_task(name="lifecycle.orphan_sweep", ignore_result=True)
def orphan_sweep(organization_id: int, min_age_minutes: int | None = None) -> int:
    organization = _organization(organization_id)
    if organization is None:
        return 0
    min_age = None if min_age_minutes is None else timedelta(minutes=min_age_minutes)
    return services.orphans_sweep(
        organization=organization, min_age=min_age, now=timezone.now()
    ).deleted
