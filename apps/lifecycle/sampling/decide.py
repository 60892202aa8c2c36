"""Deciding finished sessions: keep or drop, with the winning rule as the reason.

One chunk of one organization per call, in one transaction with the sessions locked
(``skip_locked``: a session another worker is deciding is left to it). Only pending sessions
are decided, so a retried task changes nothing. A dropped session keeps its index row (the
tombstone) and waits ``drop_grace_minutes`` before its blobs are purged (``purge.py``), so a
ticket link that arrives late can still rescue it.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from apps.orgs.models import Organization
from apps.replay.models import SamplingState, Session
from apps.tickets.selectors import ticket_holds

from .. import counters, usage
from ..models import DecisionState, ReasonCode, SessionDecision
from ..retention.expiry import session_expiry
from ..retention.policy import effective_policy
from .due import finished_filter
from .facts import facts_for
from .policy import policy_ensure, rules_for_evaluation
from .rules import evaluate

logger = logging.getLogger(__name__)


@dataclass
class DecideResult:
    kept: int = 0
    dropped: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def decided(self) -> int:
        return self.kept + self.dropped


def reason_text(state: str, reason: str, detail: str) -> str:
    label = ReasonCode(reason).label
    return f"{state}: {label}" + (f" ({detail})" if detail else "")


def sessions_decide(
    *, organization: Organization, session_pks: list[int], now: datetime | None = None
) -> DecideResult:
    """Decide those of ``session_pks`` that are pending and finished."""
    now = now or timezone.now()
    policy = policy_ensure(organization=organization)
    rules = rules_for_evaluation(organization=organization)
    retention = effective_policy(organization=organization)
    result = DecideResult()
    with transaction.atomic():
        sessions = list(
            Session.objects.select_for_update(skip_locked=True)
            .filter(organization=organization, pk__in=session_pks)
            .filter(sampling_state=SamplingState.PENDING)
            .filter(finished_filter(idle_minutes=policy.idle_minutes, now=now))
            .order_by("pk")
        )
        if not sessions:
            return result
        facts = facts_for(organization=organization, sessions=sessions)
        holds = ticket_holds(organization=organization, session_pks=[s.pk for s in sessions])
        decisions = []
        for session in sessions:
            fact = facts[session.pk]
            verdict = evaluate(
                fact,
                rules,
                normal_rate=policy.normal_rate,
                min_duration_ms=policy.min_duration_ms,
            )
            state = DecisionState.KEPT if verdict.keep else DecisionState.DROPPED
            expiry = session_expiry(
                last_seen_at=session.last_seen_at,
                has_errors=bool(fact.frontend_errors or fact.backend_errors),
                dropped=not verdict.keep,
                hold=holds.get(session.pk),
                policy=retention,
            )
            decisions.append(
                SessionDecision(
                    organization=organization,
                    session=session,
                    state=state,
                    reason=verdict.reason,
                    rule_id=verdict.rule_id,
                    detail=verdict.detail[:300],
                    has_frontend_error=fact.frontend_errors > 0,
                    has_backend_error=fact.backend_errors > 0,
                    decided_at=now,
                    purge_after=None
                    if verdict.keep
                    else now + timedelta(minutes=policy.drop_grace_minutes),
                )
            )
            Session.objects.filter(organization=organization, pk=session.pk).update(
                sampling_state=state,
                sampling_reason=reason_text(state, verdict.reason, verdict.detail),
                sampling_decided_at=now,
                retention_class=expiry.retention_class,
                expires_at=expiry.expires_at,
            )
            if verdict.keep:
                result.kept += 1
            else:
                result.dropped += 1
            key = f"{state}:{verdict.reason}"
            result.reasons[key] = result.reasons.get(key, 0) + 1
        SessionDecision.objects.bulk_create(decisions, ignore_conflicts=True)
        kept = result.kept
        transaction.on_commit(
            lambda: _after_commit(organization.pk, kept, result.dropped, result.reasons)
        )
    return result


def _after_commit(organization_id: int, kept: int, dropped: int, reasons: dict) -> None:
    usage.record_kept(organization_id=organization_id, amount=kept)
    counters.add(
        organization_id=organization_id,
        amounts={
            "sampling_decided": kept + dropped,
            "sampling_kept": kept,
            "sampling_dropped": dropped,
        },
    )
    logger.info(
        "sampling decided",
        extra={
            "organization_id": organization_id,
            "kept": kept,
            "dropped": dropped,
            "reasons": reasons,
        },
    )
