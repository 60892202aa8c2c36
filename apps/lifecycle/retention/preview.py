"""The dry run: what a retention run would delete now (or at ``as_of``), and why."""

from datetime import datetime

from django.utils import timezone

from apps.orgs.models import Organization

from .. import defaults
from . import telemetry
from .candidates import expired_sessions
from .policy import effective_policy

PREVIEW_LIST_MAX = 500


def retention_preview(
    *,
    organization: Organization,
    as_of: datetime | None = None,
    limit: int = 100,
    scan_limit: int | None = 50_000,
) -> dict:
    """Sessions that would be deleted (up to ``limit`` listed, all counted while at most
    ``scan_limit`` old sessions are read), and the spans and logs that would go."""
    as_of = as_of or timezone.now()
    limit = max(0, min(limit, PREVIEW_LIST_MAX))
    policy = effective_policy(organization=organization)
    listed, total, size, scanned = [], 0, 0, 0
    truncated = False
    chunk = defaults.RETENTION_CHUNK
    for expired in expired_sessions(
        organization=organization, policy=policy, as_of=as_of, chunk=chunk
    ):
        scanned += chunk
        for candidate in expired:
            total += 1
            size += candidate.bytes_stored
            if len(listed) < limit:
                listed.append(
                    {
                        "session_id": candidate.session_id,
                        "user_id": candidate.user_id,
                        "last_seen_at": candidate.last_seen_at,
                        "retention_class": candidate.expiry.retention_class,
                        "expires_at": candidate.expiry.expires_at,
                        "reason": candidate.expiry.reason,
                    }
                )
        if scan_limit is not None and scanned >= scan_limit:
            truncated = True
            break
    cutoff = telemetry.cutoff_ns(as_of=as_of, days=policy.telemetry_days)
    return {
        "as_of": as_of,
        "policy": policy.as_dict(),
        "plan_bounds": policy.bounds,
        "sessions": listed,
        "session_count": total,
        "bytes": size,
        "truncated": truncated,
        "spans": telemetry.old_spans(organization=organization, cutoff_ns=cutoff).count(),
        "logs": telemetry.old_logs(organization=organization, cutoff_ns=cutoff).count(),
    }
