"""Celery tasks of the privacy domain: thin, id-taking, idempotent. The sweeps enqueue one unit
of work per organization (a chunk of its sessions)."""

import logging

from celery import shared_task

from apps.orgs.models import Organization

from . import services
from .models import AuditScope, PrivacySettings
from .selection import new_sessions_due, nightly_sample
from .settings_service import settings_for

logger = logging.getLogger(__name__)
CHUNK = 25


@shared_task(name="privacy.audit_new_sessions", ignore_result=True)
def audit_new_sessions() -> int:
    """Periodic: queue the first-chunk audit of recent sessions, per organization."""
    by_org: dict[int, list[int]] = {}
    for organization_id, session_pk in new_sessions_due():
        by_org.setdefault(organization_id, []).append(session_pk)
    queued = 0
    for organization_id, pks in by_org.items():
        for start in range(0, len(pks), CHUNK):
            audit_sessions.delay(organization_id, pks[start : start + CHUNK], AuditScope.FIRST)
            queued += 1
    if queued:
        logger.info("privacy sweep", extra={"organizations": len(by_org), "queued": queued})
    return queued


@shared_task(name="privacy.audit_sessions", ignore_result=True)
def audit_sessions(organization_id: int, session_pks: list[int], scope: str) -> int:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None or scope not in AuditScope.values:
        return 0
    results = services.sessions_audit(
        organization=organization, session_pks=session_pks, scope=scope
    )
    return sum(r.new_findings for r in results)


@shared_task(name="privacy.nightly", ignore_result=True)
def nightly() -> int:
    """Periodic (nightly): a configurable sample of yesterday's sessions, per organization."""
    skipped = set(
        PrivacySettings.objects.filter(nightly_sample_percent=0).values_list(
            "organization_id", flat=True
        )
    )
    queued = 0
    for organization_id in Organization.objects.order_by("pk").values_list("pk", flat=True):
        if organization_id not in skipped:
            audit_nightly_sample.delay(organization_id)
            queued += 1
    return queued


@shared_task(name="privacy.audit_nightly_sample", ignore_result=True)
def audit_nightly_sample(organization_id: int) -> int:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        return 0
    settings = settings_for(organization=organization)
    pks = nightly_sample(
        organization=organization,
        percent=settings.nightly_sample_percent,
        cap=settings.nightly_max_sessions,
    )
    for start in range(0, len(pks), CHUNK):
        audit_sessions.delay(organization_id, pks[start : start + CHUNK], AuditScope.NIGHTLY)
    return len(pks)
