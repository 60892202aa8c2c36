"""When a session expires, and why: a pure function of its last activity, whether it has errors,
its ticket hold and the policy in force."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from apps.replay.models import RetentionClass
from apps.tickets.selectors import TicketHold

from .policy import Effective


@dataclass(frozen=True)
class Expiry:
    retention_class: str
    expires_at: datetime | None  # None: held by an open ticket
    reason: str


def session_expiry(
    *,
    last_seen_at: datetime,
    has_errors: bool,
    dropped: bool,
    hold: TicketHold | None,
    policy: Effective,
) -> Expiry:
    if dropped:
        days = policy.normal_days
        base = Expiry(
            RetentionClass.NORMAL,
            last_seen_at + timedelta(days=days),
            f"tombstone of a dropped session, kept {days} days",
        )
    elif has_errors:
        days = policy.error_days
        base = Expiry(
            RetentionClass.ERROR,
            last_seen_at + timedelta(days=days),
            f"session with errors, kept {days} days",
        )
    else:
        days = policy.normal_days
        base = Expiry(
            RetentionClass.NORMAL,
            last_seen_at + timedelta(days=days),
            f"normal session, kept {days} days",
        )
    if hold is None:
        return base
    if hold.has_open_ticket:
        return Expiry(RetentionClass.TICKET, None, "linked to an open ticket")
    if hold.last_closed_at is None:
        return base
    grace = policy.ticket_grace_days
    until = hold.last_closed_at + timedelta(days=grace)
    if until <= base.expires_at:
        return Expiry(RetentionClass.TICKET, base.expires_at, base.reason)
    return Expiry(RetentionClass.TICKET, until, f"ticket closed, kept {grace} days after closing")
