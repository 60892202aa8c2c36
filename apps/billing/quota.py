"""Quota admission for what customers send us. Billing plugs plan limits in here; until then
everything is admitted. Callers turn QuotaExceeded into 429 with Retry-After."""

from apps.orgs.models import Organization


class QuotaExceeded(Exception):
    def __init__(self, reason: str, retry_after: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def admit_replay_batch(*, organization: Organization, session_is_new: bool) -> None:
    """Raise QuotaExceeded when a replay batch (of a new session, or not) must be refused."""


def admit_telemetry(*, organization: Organization, signal: str, count: int) -> None:
    """Raise QuotaExceeded when ``count`` items of ``signal`` ("traces" or "logs") must be
    refused. Billing plugs the plan's span and log limits in here."""
