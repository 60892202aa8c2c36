"""Reads of the lifecycle domain (keyword-only, organization required)."""

from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from apps.orgs.models import Organization
from apps.replay.models import Session

from . import counters
from .models import DeletionLog, SamplingRule, SessionDecision
from .retention.policy import effective_policy, retention_settings
from .retention.policy import policy_ensure as retention_policy
from .retention.preview import retention_preview
from .sampling.policy import policy_ensure as sampling_policy
from .sampling.policy import rule_get, rules_list

__all__ = [
    "decisions_search",
    "deletion_log",
    "decision_for_session",
    "effective_policy",
    "retention_policy",
    "retention_preview",
    "retention_settings",
    "rule_get",
    "rules_list",
    "rules_list_queryset",
    "sampling_policy",
    "worker_activity",
]


def rules_list_queryset(*, organization: Organization) -> QuerySet[SamplingRule]:
    return SamplingRule.objects.filter(organization=organization).order_by("position", "id")


def decisions_search(
    *, organization: Organization, state: str | None = None, user_id: str | None = None
) -> QuerySet[SessionDecision]:
    decisions = SessionDecision.objects.filter(organization=organization).select_related(
        "session", "rule"
    )
    if state:
        decisions = decisions.filter(state=state)
    if user_id:
        decisions = decisions.filter(session__user_id=user_id)
    return decisions.order_by("-decided_at", "-pk")


def decision_for_session(*, organization: Organization, session_id: str) -> SessionDecision:
    """The decision of the organization's session; ``SessionDecision.DoesNotExist`` for
    undecided, unknown or other organizations' sessions."""
    return SessionDecision.objects.select_related("session", "rule").get(
        organization=organization, session__session_id=session_id
    )


def pending_count(*, organization: Organization) -> int:
    return Session.objects.filter(organization=organization, sampling_state="pending").count()


def deletion_log(*, organization: Organization) -> QuerySet[DeletionLog]:
    return DeletionLog.objects.filter(organization=organization).order_by("-created_at", "-pk")


def worker_activity(*, organization: Organization, days: int = 7) -> dict[str, int]:
    since: date = timezone.now().date() - timedelta(days=days - 1)
    return counters.totals(organization=organization, since=since)
