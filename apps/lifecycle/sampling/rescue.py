"""A ticket link that arrives after the decision: a dropped session whose blobs still exist is
kept after all (reason "linked to a ticket after the decision"); a kept one moves to the ticket
retention class. Once a purge has started the replay is gone and the link changes nothing but
the recorded detail."""

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from apps.orgs.models import Organization
from apps.replay.models import RetentionClass, SamplingState, Session

from .. import counters, usage
from ..models import DecisionState, ReasonCode, SessionDecision
from .decide import reason_text

logger = logging.getLogger(__name__)
LATE_DETAIL = "linked to a support ticket after the decision"
TOO_LATE_DETAIL = "; a ticket link arrived after the replay was deleted"


def rescue_locked(*, organization: Organization, decision: SessionDecision, now: datetime) -> bool:
    """Within a transaction, with ``decision`` locked: keep a dropped, not yet purged session."""
    if decision.state != DecisionState.DROPPED or decision.purge_started_at is not None:
        return False
    SessionDecision.objects.filter(pk=decision.pk).update(
        state=DecisionState.KEPT,
        reason=ReasonCode.TICKET_LATE,
        detail=LATE_DETAIL,
        rescued_at=now,
        purge_after=None,
    )
    Session.objects.filter(organization=organization, pk=decision.session_id).update(
        sampling_state=SamplingState.KEPT,
        sampling_reason=reason_text(DecisionState.KEPT, ReasonCode.TICKET_LATE, ""),
        retention_class=RetentionClass.TICKET,
        expires_at=None,
    )
    organization_id = organization.pk
    transaction.on_commit(lambda: _after_rescue(organization_id))
    return True


def _after_rescue(organization_id: int) -> None:
    usage.record_kept(organization_id=organization_id, amount=1)
    counters.add(organization_id=organization_id, amounts={"sampling_rescued": 1})


def session_rescue(
    *, organization: Organization, session_pk: int, now: datetime | None = None
) -> str:
    """Apply a new ticket link to the session's decision; returns what happened."""
    now = now or timezone.now()
    with transaction.atomic():
        decision = (
            SessionDecision.objects.select_for_update()
            .filter(organization=organization, session_id=session_pk)
            .first()
        )
        if decision is None:
            return "pending"  # the decision itself will see the link
        if decision.state == DecisionState.KEPT:
            Session.objects.filter(organization=organization, pk=session_pk).update(
                retention_class=RetentionClass.TICKET, expires_at=None
            )
            return "already_kept"
        if rescue_locked(organization=organization, decision=decision, now=now):
            outcome = "rescued"
        else:
            if TOO_LATE_DETAIL not in decision.detail:
                SessionDecision.objects.filter(pk=decision.pk).update(
                    detail=(decision.detail + TOO_LATE_DETAIL)[:300]
                )
            outcome = "too_late"
    logger.info(
        "sampling ticket link",
        extra={"organization_id": organization.pk, "session_pk": session_pk, "outcome": outcome},
    )
    return outcome
