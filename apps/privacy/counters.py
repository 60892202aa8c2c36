"""Per-organization, per-day audit counters in the database (every worker adds to the same
numbers; the Privacy page and operators read them)."""

from datetime import date

from apps.orgs import daily_counters
from apps.orgs.models import Organization

from .models import AuditCounter


def add(*, organization_id: int, amounts: dict[str, int], day: date | None = None) -> None:
    daily_counters.add(AuditCounter, organization_id=organization_id, amounts=amounts, day=day)


def totals(*, organization: Organization, since: date) -> dict[str, int]:
    return daily_counters.totals(AuditCounter, organization=organization, since=since)
