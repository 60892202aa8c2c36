"""Per-organization, per-day counters of the lifecycle workers (decided, kept, dropped, purged,
deleted…), in the database so every process adds to the same numbers and they survive Redis."""

from datetime import date

from apps.orgs import daily_counters
from apps.orgs.models import Organization

from .models import WorkerCounter


def add(*, organization_id: int, amounts: dict[str, int], day: date | None = None) -> None:
    daily_counters.add(WorkerCounter, organization_id=organization_id, amounts=amounts, day=day)


def totals(*, organization: Organization, since: date) -> dict[str, int]:
    return daily_counters.totals(WorkerCounter, organization=organization, since=since)


def daily(*, organization: Organization, since: date, names: list[str]) -> dict[date, dict]:
    return daily_counters.daily(WorkerCounter, organization=organization, since=since, names=names)
