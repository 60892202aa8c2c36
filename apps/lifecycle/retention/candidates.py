"""Which sessions are expired, and why (the dry run and the deletion run read the same)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from apps.orgs.models import Organization
from apps.replay.models import SamplingState, Session
from apps.tickets.selectors import ticket_holds
from apps.traces.selectors import session_backend_error_counts

from ..models import SessionDecision
from .expiry import Expiry, session_expiry
from .policy import Effective


@dataclass(frozen=True)
class Candidate:
    pk: int
    session_id: str
    user_id: str
    last_seen_at: datetime
    bytes_stored: int
    expiry: Expiry


def _chunks(organization: Organization, before: datetime, chunk: int) -> Iterator[list]:
    after = 0
    while True:
        rows = list(
            Session.objects.filter(organization=organization, last_seen_at__lt=before, pk__gt=after)
            .order_by("pk")
            .values(
                "pk",
                "session_id",
                "user_id",
                "last_seen_at",
                "error_count",
                "sampling_state",
                "bytes_stored",
            )[:chunk]
        )
        if not rows:
            return
        yield rows
        after = rows[-1]["pk"]


def expired_sessions(
    *, organization: Organization, policy: Effective, as_of: datetime, chunk: int
) -> Iterator[list[Candidate]]:
    """Chunks of expired sessions (oldest pk first), each with its expiry and reason. Sessions
    inside the shortest retention are never even read."""
    before = as_of - timedelta(days=min(policy.normal_days, policy.error_days))
    for rows in _chunks(organization, before, chunk):
        pks = [row["pk"] for row in rows]
        holds = ticket_holds(organization=organization, session_pks=pks)
        backend = set(
            SessionDecision.objects.filter(
                organization=organization, session_id__in=pks, has_backend_error=True
            ).values_list("session_id", flat=True)
        )
        # Undecided sessions (sampling behind, or off): their spans say it directly.
        erred_ids = session_backend_error_counts(
            organization=organization, session_ids=[row["session_id"] for row in rows]
        )
        backend |= {row["pk"] for row in rows if row["session_id"] in erred_ids}
        expired = []
        for row in rows:
            expiry = session_expiry(
                last_seen_at=row["last_seen_at"],
                has_errors=row["error_count"] > 0 or row["pk"] in backend,
                dropped=row["sampling_state"] == SamplingState.DROPPED,
                hold=holds.get(row["pk"]),
                policy=policy,
            )
            if expiry.expires_at is not None and expiry.expires_at <= as_of:
                expired.append(
                    Candidate(
                        row["pk"],
                        row["session_id"],
                        row["user_id"],
                        row["last_seen_at"],
                        row["bytes_stored"],
                        expiry,
                    )
                )
        yield expired


def open_ticket_pks(*, organization: Organization, session_pks: list[int]) -> set[int]:
    holds = ticket_holds(organization=organization, session_pks=session_pks)
    return {pk for pk, hold in holds.items() if hold.has_open_ticket}


def kept_session_filter(organization: Organization) -> Q:
    """Sessions whose spans and logs stay with them (everything but tombstones)."""
    return Q(organization=organization) & ~Q(sampling_state=SamplingState.DROPPED)
