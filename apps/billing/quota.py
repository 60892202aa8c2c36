"""Quota admission for what customers send us; the intakes turn QuotaExceeded into 429.

Only plans with a hard limit (Free) refuse anything: paid plans bill the overage instead.
A replay batch of a session that already started is always admitted (a recording is never cut
in the middle); a new session is refused once the period's sessions reach the quota. Spans and
log records share one quota and are refused once it is reached, with a Retry-After.
"""

from apps.orgs.models import Organization

from .periods import seconds_until_period_end
from .usage import never_refuses, quota_snapshot, recent_far_below

# Exporters retry after Retry-After; an hour at most, so an upgrade takes effect within it
# rather than at the start of next month.
TELEMETRY_RETRY_CAP_SECONDS = 3600
TELEMETRY_SIGNALS = frozenset({"spans", "traces", "logs"})

SESSIONS_REASON = "replay_sessions_quota_exceeded"
TELEMETRY_REASON = "telemetry_quota_exceeded"


class QuotaExceeded(Exception):
    """``reason`` is machine-readable; ``str(exc)`` is a sentence for people."""

    def __init__(self, reason: str, retry_after: int | None = None, *, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason
        self.retry_after = retry_after
        self.message = message or reason


def _no_need_to_ask(organization_id: int) -> bool:
    # Paid plans never refuse; an organization far below its quota a moment ago cannot be over
    # it now. Either way the intake pays no round trip.
    return never_refuses(organization_id=organization_id) or recent_far_below(
        organization_id=organization_id
    )


def admit_replay_batch(*, organization: Organization, session_is_new: bool) -> None:
    """Raise QuotaExceeded for a NEW session over a hard quota; started sessions continue."""
    if not session_is_new or _no_need_to_ask(organization.pk):
        return
    snapshot = quota_snapshot(organization_id=organization.pk)
    limits = snapshot.limits
    quota = limits.replay_sessions_quota
    if limits.hard_limit and quota is not None and snapshot.sessions >= quota:
        raise QuotaExceeded(
            SESSIONS_REASON,
            seconds_until_period_end(),
            message=(
                f"The {limits.plan_name} plan's {quota:,} replay sessions for "
                f"{snapshot.period.label} are used up; new sessions are not recorded until "
                "the plan is upgraded or the month ends."
            ),
        )


def admit_telemetry(*, organization: Organization, signal: str, count: int) -> None:
    """Raise QuotaExceeded (with retry_after) when spans/logs are over a hard quota.

    ``signal`` is "spans" (or "traces", the OTLP path's name) or "logs".
    """
    if signal not in TELEMETRY_SIGNALS:
        raise ValueError(f"unknown telemetry signal {signal!r}")
    if count <= 0 or _no_need_to_ask(organization.pk):
        return
    snapshot = quota_snapshot(organization_id=organization.pk)
    limits = snapshot.limits
    quota = limits.telemetry_quota
    if limits.hard_limit and quota is not None and snapshot.telemetry >= quota:
        raise QuotaExceeded(
            TELEMETRY_REASON,
            min(seconds_until_period_end(), TELEMETRY_RETRY_CAP_SECONDS),
            message=(
                f"The {limits.plan_name} plan's {quota:,} spans and log records for "
                f"{snapshot.period.label} are used up; upgrade the plan to send more."
            ),
        )
