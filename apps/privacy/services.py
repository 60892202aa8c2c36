"""Writes of the privacy domain (keyword-only, organization first)."""

from apps.core.errors import NotFound
from apps.orgs.models import Organization
from apps.replay.models import Session

from .audit.service import AuditResult, session_audit
from .models import AuditScope
from .settings_service import settings_for, settings_update


def sessions_audit(
    *, organization: Organization, session_pks: list[int], scope: str
) -> list[AuditResult]:
    """Audit the organization's sessions among ``session_pks`` (others are ignored)."""
    settings = settings_for(organization=organization)
    results = []
    for session in Session.objects.filter(organization=organization, pk__in=session_pks):
        results.append(
            session_audit(
                organization=organization,
                session=session,
                scope=scope,
                redact_values=settings.auto_redact,
            )
        )
    return results


def session_audit_now(*, organization: Organization, session_id: str) -> AuditResult:
    session = Session.objects.filter(organization=organization, session_id=session_id).first()
    if session is None:
        raise NotFound("No such session.")
    settings = settings_for(organization=organization)
    return session_audit(
        organization=organization,
        session=session,
        scope=AuditScope.MANUAL,
        redact_values=settings.auto_redact,
    )


__all__ = ["sessions_audit", "session_audit_now", "settings_update"]
